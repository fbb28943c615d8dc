import { TokenVerificationError, TokenVerificationErrorReason } from '@clerk/backend/errors';
import { expect } from 'chai';
import { classifyVerificationError } from '../../src/auth/verification-outcome.js';

function clerkError(reason: string): TokenVerificationError {
  return new TokenVerificationError({ reason, message: 'from the SDK' });
}

describe('classifyVerificationError', () => {
  it('maps token-expired to AUTH_EXPIRED_TOKEN', () => {
    expect(classifyVerificationError(clerkError(TokenVerificationErrorReason.TokenExpired), false)).to.deep.equal({
      code: 'AUTH_EXPIRED_TOKEN',
      reason: 'token-expired',
    });
  });

  it('maps every reason about the token itself to AUTH_INVALID_TOKEN', () => {
    const reasons = [
      TokenVerificationErrorReason.TokenInvalid,
      TokenVerificationErrorReason.TokenInvalidAlgorithm,
      TokenVerificationErrorReason.TokenInvalidAuthorizedParties,
      TokenVerificationErrorReason.TokenInvalidIssuer,
      TokenVerificationErrorReason.TokenInvalidSignature,
      TokenVerificationErrorReason.TokenNotActiveYet,
      TokenVerificationErrorReason.TokenIatInTheFuture,
      TokenVerificationErrorReason.TokenVerificationFailed,
      TokenVerificationErrorReason.JWKKidMismatch,
    ];
    for (const reason of reasons) {
      expect(classifyVerificationError(clerkError(reason), true), reason).to.deep.equal({
        code: 'AUTH_INVALID_TOKEN',
        reason,
      });
    }
  });

  it('maps failures to get keys to AUTH_UNAVAILABLE, keeping the cause for the log', () => {
    for (const reason of [
      TokenVerificationErrorReason.RemoteJWKFailedToLoad,
      TokenVerificationErrorReason.InvalidSecretKey,
      TokenVerificationErrorReason.JWKFailedToResolve,
    ]) {
      const error = clerkError(reason);
      expect(classifyVerificationError(error, true)).to.deep.equal({ code: 'AUTH_UNAVAILABLE', reason, cause: error });
    }
  });

  it('treats an error without a reason as unreachable keys in JWKS mode, as an invalid token otherwise', () => {
    const fetchFailed = new TypeError('fetch failed');
    expect(classifyVerificationError(fetchFailed, true)).to.deep.equal({
      code: 'AUTH_UNAVAILABLE',
      reason: 'jwks-unreachable',
      cause: fetchFailed,
    });
    expect(classifyVerificationError(fetchFailed, false)).to.include({
      code: 'AUTH_INVALID_TOKEN',
      reason: 'verification-error',
    });
    expect(classifyVerificationError('thrown string', false).code).to.equal('AUTH_INVALID_TOKEN');
  });
});
