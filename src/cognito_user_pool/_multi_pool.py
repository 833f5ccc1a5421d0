"""``TokenVerifiers``: several user pools behind one ``verify`` (aws-jwt-verify's multi-pool
verifier), each token checked by the ``TokenVerifier`` of its pool."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from ._errors import InvalidParameterError, MalformedTokenError, WrongIssuerError
from ._tokens import strict_json
from ._verify import (
    UNSET,
    ClaimsCheck,
    TokenUse,
    TokenVerifier,
    VerifiedClaims,
    _check_token_use,
    _parse,
    _Unset,
)

__all__ = ["TokenVerifiers"]


class TokenVerifiers:
    """Several user pools behind one ``verify``: each token goes to the verifier of its
    ``iss`` (read before the signature is checked, only to choose; that verifier then checks
    everything, ``iss`` included), with that verifier's clients, policy and revocation check.

    Usage::

        verifier = TokenVerifiers([
            TokenVerifier("eu-west-1_AbC123", "1example23456789"),
            TokenVerifier("us-east-1_XyZ789", ["2example", "3example"], groups="admins"),
        ])
        claims = await verifier.verify(access_token)

    The web guards take it wherever they take a ``TokenVerifier``.

    :param verifiers: one ``TokenVerifier`` per pool (several clients of one pool go in its
        one verifier).
    :raises InvalidParameterError: no verifier, something else, or two for one pool.
    """

    def __init__(self, verifiers: Iterable[TokenVerifier]) -> None:
        by_issuer: dict[str, TokenVerifier] = {}
        for verifier in verifiers:
            if not isinstance(verifier, TokenVerifier):
                raise InvalidParameterError(
                    "verifiers must be TokenVerifier instances", field="verifiers"
                )
            if verifier.issuer in by_issuer:
                raise InvalidParameterError(
                    "two verifiers for one user pool: give one verifier every client id",
                    field="verifiers",
                )
            by_issuer[verifier.issuer] = verifier
        if not by_issuer:
            raise InvalidParameterError("verifiers must not be empty", field="verifiers")
        self._by_issuer: Mapping[str, TokenVerifier] = MappingProxyType(by_issuer)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list(self._by_issuer.values())!r})"

    @property
    def verifiers(self) -> tuple[TokenVerifier, ...]:
        """The verifiers, one per pool."""
        return tuple(self._by_issuer.values())

    def _for(self, token: str) -> TokenVerifier:
        parsed = _parse(token)
        try:
            claims = strict_json(parsed.obj.payload)
        except (ValueError, UnicodeError) as exc:
            raise MalformedTokenError("the token's payload is not JSON") from exc
        iss = claims.get("iss") if isinstance(claims, dict) else None
        verifier = self._by_issuer.get(iss) if isinstance(iss, str) else None
        if verifier is None:
            raise WrongIssuerError("the token was not issued by any of these user pools")
        return verifier

    async def verify(
        self,
        token: str,
        token_use: TokenUse = "access",
        *,
        groups: str | Iterable[str] | _Unset | None = UNSET,
        scopes: str | Iterable[str] | _Unset | None = UNSET,
        check: ClaimsCheck | _Unset | None = UNSET,
    ) -> VerifiedClaims:
        """``TokenVerifier.verify`` by the verifier of the token's pool.

        :raises TokenVerificationError: a subclass saying why the token was refused
            (``WrongIssuerError`` for a pool none of the verifiers serves).
        :raises NetworkError: keys or the revocation check were needed and failed.
        """
        _check_token_use(token_use)
        return await self._for(token).verify(
            token, token_use, groups=groups, scopes=scopes, check=check
        )

    def verify_sync(
        self,
        token: str,
        token_use: TokenUse = "access",
        *,
        groups: str | Iterable[str] | _Unset | None = UNSET,
        scopes: str | Iterable[str] | _Unset | None = UNSET,
        check: ClaimsCheck | _Unset | None = UNSET,
    ) -> VerifiedClaims:
        """The blocking twin of :meth:`verify`.

        :raises TokenVerificationError: a subclass saying why the token was refused.
        :raises NetworkError: keys or the revocation check were needed and failed.
        """
        _check_token_use(token_use)
        return self._for(token).verify_sync(
            token, token_use, groups=groups, scopes=scopes, check=check
        )

    async def prefetch(self) -> None:
        """Fetch every pool's keys now.

        :raises JwksFetchError: some keys could not be fetched.
        """
        for verifier in self._by_issuer.values():
            await verifier.prefetch()
