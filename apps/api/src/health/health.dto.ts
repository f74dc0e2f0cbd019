import { ApiProperty } from '@nestjs/swagger';

export class DependencyHealthDto {
  @ApiProperty({ example: 'PostgreSQL', description: 'The dependency as people call it' }) name: string;
  @ApiProperty({ enum: ['up', 'down'] }) status: 'up' | 'down';
  @ApiProperty({ required: false, example: 'connect ECONNREFUSED 127.0.0.1:5432', description: 'Why it is down' })
  message?: string;
}

export class HealthDependenciesDto {
  @ApiProperty({ type: DependencyHealthDto }) database: DependencyHealthDto;
  @ApiProperty({ type: DependencyHealthDto }) redis: DependencyHealthDto;
}

export class HealthDto {
  @ApiProperty({ enum: ['ok', 'error'] }) status: 'ok' | 'error';
  @ApiProperty({ example: 'PostgreSQL is unavailable' }) message: string;
  @ApiProperty({ type: HealthDependenciesDto }) dependencies: HealthDependenciesDto;
}
