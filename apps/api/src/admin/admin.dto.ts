import { NonBlankText } from '../common/dto-decorators.js';
import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { MIN_PASSWORD_LENGTH } from '#libs/auth';
import { ORG_UNIT_TYPES, type OrgUnitType, ROLES, type Role } from '#libs/database';
import { AssignmentDto } from '../auth/auth.dto.js';

export class UserCreateDto {
  @ApiProperty({ example: 'amina.otieno@example.org' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  email: string;

  @NonBlankText('displayName must not be blank', 200, { example: 'Amina Otieno' })
  displayName: string;

  @ApiProperty({ minLength: MIN_PASSWORD_LENGTH, description: 'Stored only as an argon2id hash' })
  @IsString()
  @Matches(/\S/, { message: 'password must not be only spaces' })
  @MinLength(MIN_PASSWORD_LENGTH, { message: `password must be at least ${MIN_PASSWORD_LENGTH} characters` })
  @MaxLength(200)
  password: string;
}

export class UserUpdateDto {
  @ApiProperty({ description: 'The version you read (409 when someone changed the user since)' })
  @IsInt({ message: 'version must be a whole number' })
  @Min(1)
  version: number;

  @ApiProperty({ required: false })
  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: 'displayName must not be blank' })
  @MaxLength(200)
  displayName?: string;
  @ApiProperty({
    required: false,
    enum: ['en', 'fr'],
    description: "The user's report language (a request's ?lang= or Accept-Language wins)",
  })
  @IsOptional()
  @IsIn(['en', 'fr'], { message: 'language must be one of: en, fr' })
  language?: string;
  @ApiProperty({ required: false, description: "false ends the user's sessions" })
  @IsOptional()
  @IsBoolean({ message: 'isActive must be true or false' })
  isActive?: boolean;
  @ApiProperty({ required: false, description: "A new password; ends the user's sessions" })
  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: 'password must not be only spaces' })
  @MinLength(MIN_PASSWORD_LENGTH, { message: `password must be at least ${MIN_PASSWORD_LENGTH} characters` })
  @MaxLength(200)
  password?: string;
}

export class AssignmentCreateDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES as unknown as string[], { message: `role must be one of: ${ROLES.join(', ')}` })
  role: Role;

  @ApiProperty({
    type: String,
    required: false,
    format: 'uuid',
    nullable: true,
    description: 'For project_manager and rbm_focal_point: the org unit (covers the units below it)',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID('all', { message: 'orgUnitId must be a UUID' })
  orgUnitId?: string | null;

  @ApiProperty({
    type: String,
    required: false,
    format: 'uuid',
    nullable: true,
    description: 'For donor: the donor organisation',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID('all', { message: 'donorId must be a UUID' })
  donorId?: string | null;
}

export class UserResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: ['en', 'fr'], description: 'Report language' }) language: string;
  @ApiProperty() isActive: boolean;
  @ApiProperty() version: number;
  @ApiProperty({ type: [AssignmentDto] }) assignments: AssignmentDto[];
}

export class OrgUnitCreateDto {
  @ApiProperty({ example: 'ROSAF' })
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'code must be 1–32 letters, digits, _ or -' })
  code: string;

  @ApiProperty({ example: 'Regional Office for Southern Africa' })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  name: string;

  @ApiProperty({ enum: ORG_UNIT_TYPES })
  @IsIn(ORG_UNIT_TYPES as unknown as string[], { message: `type must be one of: ${ORG_UNIT_TYPES.join(', ')}` })
  type: OrgUnitType;

  @ApiProperty({ type: String, required: false, format: 'uuid', nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID('all', { message: 'parentId must be a UUID' })
  parentId?: string | null;

  @ApiProperty({ required: false, type: [String], example: ['ZA', 'MZ'], description: 'ISO 3166-1 alpha-2' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(60)
  @Matches(/^[A-Z]{2}$/, { each: true, message: 'each country code must be ISO 3166-1 alpha-2 (two capital letters)' })
  countryCodes?: string[];
}

export class OrgUnitUpdateDto {
  @ApiProperty({ description: 'The version you read (409 when someone changed it since)' })
  @IsInt({ message: 'version must be a whole number' })
  @Min(1)
  version: number;

  @ApiProperty({ required: false }) @IsOptional() @IsString() @MinLength(1) @MaxLength(300) name?: string;

  @ApiProperty({ type: String, required: false, format: 'uuid', nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID('all', { message: 'parentId must be a UUID' })
  parentId?: string | null;

  @ApiProperty({ required: false, type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(60)
  @Matches(/^[A-Z]{2}$/, { each: true, message: 'each country code must be ISO 3166-1 alpha-2 (two capital letters)' })
  countryCodes?: string[];
}

export class OrgUnitResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ORG_UNIT_TYPES }) type: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) parentId: string | null;
  @ApiProperty({ type: [String] }) countryCodes: string[];
  @ApiProperty() version: number;
}
