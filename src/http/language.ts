import type { RequestHandler } from 'express';
import { parse as parseCookie } from 'cookie';
import { pickLanguage } from './i18n/index.ts';

/** ?lang= wins and is remembered in a cookie; then the cookie; then Accept-Language. */
export const language: RequestHandler = (req, res, next) => {
  const query = typeof req.query.lang === 'string' ? req.query.lang : undefined;
  const cookie = parseCookie(req.headers.cookie ?? '').lang;
  const lang = pickLanguage({ query, cookie, acceptLanguage: req.headers['accept-language'] });
  if (query === lang) res.cookie('lang', lang, { secure: true, httpOnly: true, sameSite: 'lax', maxAge: 365 * 86_400_000 });
  res.locals.lang = lang;
  next();
};
