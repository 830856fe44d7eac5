"""Settings of the test run (and mypy's django plugin): config.settings with a throwaway key.

pytest runs with DEBUG=0, where config.settings refuses to start without SECRET_KEY. The key is put
in the environment, so manage.py, gunicorn and Celery processes that tests start get it too."""

import os

os.environ.setdefault("SECRET_KEY", "pytest-throwaway-key-not-a-secret-" + "x" * 30)

# A badge signing key of this test session only (sharing.keys), made before settings read it.
if not os.environ.get("BADGE_SIGNING_KEY"):
    from jwcrypto import jwk

    os.environ["BADGE_SIGNING_KEY"] = jwk.JWK.generate(kty="OKP", crv="Ed25519").export_private()

from config.settings import *  # noqa: F403
