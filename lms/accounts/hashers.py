"""A lighter hasher for one-time passwords.

Importing a roster of thousands of cadres would spend minutes in the default PBKDF2 work
factor. One-time passwords are long random strings that live only until first sign-in,
when the cadre's own password replaces them (hashed with the default hasher), so a smaller
work factor costs little security here.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class OneTimePasswordHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_otp"
    iterations = 20_000
