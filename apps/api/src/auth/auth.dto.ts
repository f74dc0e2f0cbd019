import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { ROLES } from '#libs/database';

export class LoginDto {
  @ApiProperty({ example: 'manager@demo.rbm' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  email: string;

  @ApiProperty({ example: 'rbm-demo-2026' })
  @IsString()
  @MinLength(1, { message: 'password is required' })
  @MaxLength(200)
  password: string;
}

export class RefreshDto {
  @ApiProperty({ description: 'The refresh token of the last login or refresh' })
  @IsString()
  @MinLength(20)
  @MaxLength(200)
  refreshToken: string;
}

export class TokenPairDto {
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ description: 'JWT to send as "Authorization: Bearer <token>"' }) accessToken: string;
  @ApiProperty({ example: 900, description: 'Seconds the access token lives' }) expiresIn: number;
  @ApiProperty({ description: 'Opaque; exchange at /auth/refresh (each use rotates it)' }) refreshToken: string;
  @ApiProperty({ format: 'date-time' }) refreshExpiresAt: string;
}

export class AssignmentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ROLES }) role: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) orgUnitId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) donorId: string | null;
}

export class MeScopeDto {
  @ApiProperty() isAdmin: boolean;
  @ApiProperty({ type: [String], description: 'Org units (with those below) where you manage projects' })
  managerUnitIds: string[];
  @ApiProperty({ type: [String], description: 'Org units (with those below) where you are the RBM focal point' })
  focalUnitIds: string[];
  @ApiProperty({ type: [String], description: 'Donor organisations you act for' }) donorIds: string[];
}

export class MeDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: ['en', 'fr'], description: 'Report language' }) language: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: string[];
  @ApiProperty({ type: [AssignmentDto] }) assignments: AssignmentDto[];
  @ApiProperty({ type: MeScopeDto }) scope: MeScopeDto;
}

/** The web app's sign-in answer: the refresh token is in the HttpOnly cookie, never in the body. */
export class BrowserSessionDto {
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ description: 'JWT to send as "Authorization: Bearer <token>"; keep it in memory only' })
  accessToken: string;
  @ApiProperty({ example: 900, description: 'Seconds the access token lives' }) expiresIn: number;
  @ApiProperty({ format: 'date-time', description: 'When the session ends unless refreshed' }) refreshExpiresAt: string;
}
