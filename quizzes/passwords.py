"""How passwords are stored: Argon2id at the cost OWASP recommends.

Why: Django's default, PBKDF2-SHA256 at 1,000,000 rounds, costs about 0.2-0.35 s of CPU per
sign-in on a small server, so a class of 300 signing in before an exam keeps both cores of a
2-core server busy for a minute. Argon2id with 19 MiB of memory, 2 passes and 1 lane is the
first configuration OWASP's Password Storage Cheat Sheet recommends; being memory-hard it
resists GPU and ASIC cracking better than PBKDF2, and it costs about 20 ms of CPU here.

Hashes made before (PBKDF2, or Argon2 with other parameters) still verify, and Django
re-hashes them with this hasher at the user's next sign-in (``must_update``).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Django's Argon2 hasher (``argon2$argon2id$...``) with OWASP's parameters: m=19 MiB, t=2, p=1."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
