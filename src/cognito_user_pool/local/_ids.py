"""The id formats a fixed ``pool_id`` / ``client_id`` must have: the ones AWS hands out.

- User pool ids are ``<region>_<9 letters or digits>`` (``us-east-1_AbCdE1234``). The API's
  pattern is looser (``[\\w-]+_[0-9a-zA-Z]+``, at most 55 characters; botocore's
  ``UserPoolIdType``), but every id AWS creates has this shape.
- App client ids are 26 lowercase letters and digits (``1h2j3k...``): Amplify's docs call them
  a "26-char alphanumeric string" (aws-amplify/docs#771, where AWS confirms 26), and moto
  trims its ids to 26 for the same reason (getmoto/moto#3165). The API allows ``[\\w+]+`` up
  to 128 characters (``ClientIdType``); a local server mimics what AWS generates.
"""

from __future__ import annotations

import re

from ._errors import OptionError

__all__ = ["check_client_id", "check_pool_id", "check_region"]

_REGION = r"[a-z]{2}(?:-[a-z]+)+-\d+"
_POOL_ID = re.compile(rf"(?P<region>{_REGION})_[0-9A-Za-z]{{9}}")
_CLIENT_ID = re.compile(r"[0-9a-z]{26}")


def check_region(region: str) -> str:
    """``region`` if it has an AWS region's shape (``us-east-1``).

    :raises OptionError: otherwise.
    """
    if not re.fullmatch(_REGION, region):
        raise OptionError("region", f"not an AWS region: {region!r} (e.g. us-east-1)")
    return region


def check_pool_id(pool_id: str) -> str:
    """The region part of a user pool id shaped as AWS makes them.

    :raises OptionError: for any other shape.
    """
    match = _POOL_ID.fullmatch(pool_id)
    if match is None:
        raise OptionError(
            "pool_id",
            f"not a Cognito user pool id: {pool_id!r} (<region>_<9 letters or digits>, "
            "e.g. us-east-1_AbCdE1234)",
        )
    return match["region"]


def check_client_id(client_id: str) -> None:
    """Accept an app client id shaped as AWS makes them.

    :raises OptionError: for any other shape.
    """
    if _CLIENT_ID.fullmatch(client_id) is None:
        # The id is not a secret in itself, but ClientIdType is marked sensitive: say only
        # what is wrong with it.
        raise OptionError(
            "client_id",
            f"not a Cognito app client id ({len(client_id)} characters): app client ids are "
            "26 lowercase letters and digits",
        )
