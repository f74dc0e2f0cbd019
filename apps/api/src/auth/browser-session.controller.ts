import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Body, Controller, Header, HttpCode, HttpStatus, Ip, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuthService, type TokenPair } from '#libs/auth';
import { DomainException, ErrorCode } from '#libs/common';
import { ApiErrors, ErrorResponseDto } from '../common/api-errors.decorator.js';
import { Public } from './auth.decorators.js';
import { BrowserSessionDto, LoginDto } from './auth.dto.js';
import { LoginThrottleGuard } from './login-throttle.guard.js';

/** The HttpOnly cookie holding the refresh token, sent only to /auth routes. */
export const REFRESH_COOKIE = 'rbm_refresh';
/** The readable cookie holding the CSRF token the app echoes in {@link CSRF_HEADER} (double submit). */
export const CSRF_COOKIE = 'rbm_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/**
 * Sign-in for the web app. The access token is returned in the body (the app keeps it in memory only);
 * the refresh token goes into an HttpOnly, SameSite=Strict cookie with path /auth (Secure over https),
 * never readable by scripts. Refresh and sign-out are cookie-authenticated, so they also require the
 * CSRF token: a second, readable SameSite=Strict cookie whose value the app must copy into the
 * X-CSRF-Token header (double-submit cookie, OWASP CSRF Prevention Cheat Sheet). Scripts keep using
 * POST /auth/login and /auth/refresh with tokens in the body.
 */
@ApiTags('auth')
@Controller('auth/session')
export class BrowserSessionController {
  constructor(
    private readonly auth: AuthService,
    private readonly throttle: LoginThrottleGuard,
  ) {}

  @Post()
  @Public()
  @UseGuards(LoginThrottleGuard)
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Sign in from the web app (refresh token set as an HttpOnly cookie)',
    description: 'Same checks and throttling as POST /auth/login; sets the rbm_refresh and rbm_csrf cookies.',
  })
  @ApiOkResponse({ type: BrowserSessionDto })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts; wait a minute', type: ErrorResponseDto })
  @ApiErrors(400, 401)
  async signIn(
    @Body() body: LoginDto,
    @Ip() ip: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BrowserSessionDto> {
    // The guard consumed the attempt before the password check; a success gives it back.
    const tokens: TokenPair = await this.auth.login(body.email, body.password);
    await this.throttle.forgetSuccess(ip, body.email);
    return this.answer(tokens, req, res);
  }

  @Post('refresh')
  @Public()
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'New access token from the refresh cookie (needs the X-CSRF-Token header); the cookie rotates',
  })
  @ApiOkResponse({ type: BrowserSessionDto })
  @ApiErrors(401, 403)
  async refresh(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<BrowserSessionDto> {
    const refreshToken = this.checkedRefreshCookie(req);
    if (!refreshToken) throw DomainException.unauthorized('No browser session; sign in');
    try {
      return this.answer(await this.auth.refresh(refreshToken), req, res);
    } catch (error) {
      this.clear(req, res);
      throw error;
    }
  }

  @Post('logout')
  @Public()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Sign out of the web app: revokes the session and clears its cookies (X-CSRF-Token)' })
  @ApiNoContentResponse({ description: 'Signed out' })
  @ApiErrors(403)
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const refreshToken = this.checkedRefreshCookie(req);
    if (refreshToken) await this.auth.logoutByRefreshToken(refreshToken);
    this.clear(req, res);
  }

  /** The refresh cookie, after the double-submit check; 403 when the header does not match the CSRF cookie. */
  private checkedRefreshCookie(req: Request): string | undefined {
    const cookies = (req.cookies ?? {}) as Record<string, string | undefined>;
    const cookie = cookies[CSRF_COOKIE] ?? '';
    const header = req.header(CSRF_HEADER) ?? '';
    const same =
      cookie.length >= 32 &&
      cookie.length === header.length &&
      timingSafeEqual(Buffer.from(cookie), Buffer.from(header));
    if (!same)
      throw DomainException.forbidden(ErrorCode.FORBIDDEN, 'The X-CSRF-Token header must match the rbm_csrf cookie');
    return cookies[REFRESH_COOKIE];
  }

  private answer(tokens: TokenPair, req: Request, res: Response): BrowserSessionDto {
    const expires = new Date(tokens.refreshExpiresAt);
    const base = { sameSite: 'strict' as const, secure: req.secure, expires };
    res.cookie(REFRESH_COOKIE, tokens.refreshToken, { ...base, httpOnly: true, path: '/auth' });
    res.cookie(CSRF_COOKIE, randomBytes(32).toString('base64url'), { ...base, httpOnly: false, path: '/' });
    return {
      tokenType: tokens.tokenType,
      accessToken: tokens.accessToken,
      expiresIn: tokens.expiresIn,
      refreshExpiresAt: tokens.refreshExpiresAt,
    };
  }

  private clear(req: Request, res: Response): void {
    const base = { sameSite: 'strict' as const, secure: req.secure };
    res.clearCookie(REFRESH_COOKIE, { ...base, httpOnly: true, path: '/auth' });
    res.clearCookie(CSRF_COOKIE, { ...base, path: '/' });
  }
}
