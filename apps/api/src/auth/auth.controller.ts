import { Body, Controller, Get, Header, HttpCode, HttpStatus, Ip, Post, UseGuards } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { AuthService, type AuthUser } from '#libs/auth';
import { ApiErrors, ErrorResponseDto } from '../common/api-errors.decorator.js';
import { CurrentUser, Public, SignedIn } from './auth.decorators.js';
import { LoginDto, MeDto, RefreshDto, TokenPairDto } from './auth.dto.js';
import { LoginThrottleGuard } from './login-throttle.guard.js';

/** Sign-in, token refresh, sign-out and the current user. */
@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly throttle: LoginThrottleGuard,
  ) {}

  @Post('auth/login')
  @Public()
  @UseGuards(LoginThrottleGuard)
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Sign in with email and password',
    description:
      'A wrong password and an unknown email get the same 401. Attempts are throttled per email and per client address (429).',
  })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts; wait a minute', type: ErrorResponseDto })
  @ApiErrors(400, 401)
  async login(@Body() body: LoginDto, @Ip() ip: string): Promise<TokenPairDto> {
    // The guard already consumed this attempt; a success gives it back.
    const tokens = await this.auth.login(body.email, body.password);
    await this.throttle.forgetSuccess(ip, body.email);
    return tokens;
  }

  @Post('auth/refresh')
  @Public()
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      'Exchange a refresh token for new tokens (the old refresh token stops working; presenting it again ends the session)',
  })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiErrors(400, 401)
  refresh(@Body() body: RefreshDto): Promise<TokenPairDto> {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('auth/logout')
  @SignedIn()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Sign out: ends this session (its refresh and access tokens stop working)' })
  @ApiNoContentResponse({ description: 'Signed out' })
  async logout(@CurrentUser() user: AuthUser): Promise<void> {
    await this.auth.logout(user.sessionId);
  }

  @Get('me')
  @SignedIn()
  @ApiOperation({ summary: 'The signed-in user with roles and scopes' })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentUser() user: AuthUser): MeDto {
    return {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      language: user.language ?? 'en',
      roles: user.roles,
      assignments: user.assignments,
      scope: user.scope,
    };
  }
}
