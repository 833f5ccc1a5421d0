"""Tests of the sync (UserPool) and callback (CallbackUserPool) shims."""
