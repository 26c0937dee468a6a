from django.contrib.auth.hashers import PBKDF2PasswordHasher


class InitialPasswordHasher(PBKDF2PasswordHasher):
    """For the initial passwords of a roster import only: thousands are hashed at once, each
    is used once and must be replaced at first login, when Django re-hashes the new password
    with the preferred (slow) hasher. Never the first entry of PASSWORD_HASHERS."""

    algorithm = "pbkdf2_sha256_initial"
    iterations = 10_000
