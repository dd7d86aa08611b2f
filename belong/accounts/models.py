"""People and their personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from belong.accounts.validators import handle_validators
from belong.core.models import TimeStampedModel

TIME_ZONE_MAX = 64


def validate_avatar_size(file: Any) -> None:
    from django.core.exceptions import ValidationError

    if file and file.size > 1024 * 1024:
        raise ValidationError(_("The picture must be 1 MB or smaller."), code="avatar_too_big")


class UserManager(DjangoUserManager["User"]):
    """Create users keyed by e-mail, with a handle instead of a username."""

    def _create_user(self, handle: str, email: str | None, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(handle=handle, email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(  # type: ignore[override]
        self, handle: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(handle, email, password, **extra)

    def create_superuser(  # type: ignore[override]
        self, handle: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(handle, email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person; their place in each community is a Membership."""

    handle = models.CharField(
        _("handle"),
        max_length=30,
        unique=True,
        validators=handle_validators,
        help_text=_("How others mention you, e.g. @maria. Letters, digits, dots, dashes and underscores."),
        error_messages={"unique": _("This handle is taken.")},
    )
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    avatar = models.ImageField(
        _("avatar"),
        upload_to="avatars/%Y/%m/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "gif", "webp"]), validate_avatar_size],
    )
    locale = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    time_zone = models.CharField(_("time zone"), max_length=TIME_ZONE_MAX, default="UTC")
    bio = models.TextField(_("about you"), max_length=2000, blank=True)
    is_staff = models.BooleanField(_("operator"), default=False, help_text=_("May use the admin site."))
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # Part of the session hash: raising it signs the person out of every session at once (on a ban).
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["handle"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("handle"), name="user_handle_ci_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.display_name or self.handle

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django's hash of the password, salted with the session epoch once it was raised.

        Epoch 0 keeps Django's own value, so upgrading signs nobody out.
        """
        if not self.session_epoch:
            return str(super()._get_session_auth_hash(secret=secret))  # type: ignore[misc]
        key_salt = "belong.accounts.models.User.get_session_auth_hash"
        value = f"{self.password}:{self.session_epoch}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.handle


class TokenScope(models.TextChoices):
    READ = "read", _("Read")
    WRITE = "write", _("Read and write")


TOKEN_PREFIX = "blg_"


def hash_token(raw: str) -> str:
    """Tokens are 32 random bytes, so a plain SHA-256 is enough to keep them safe at rest."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(TimeStampedModel):
    """A personal API token; only its hash is stored, the token itself is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("starts with"), max_length=12, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def generate() -> str:
        return TOKEN_PREFIX + secrets.token_urlsafe(32)

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())

    def allows(self, scope: str) -> bool:
        return scope in self.scopes or (scope == TokenScope.READ and TokenScope.WRITE in self.scopes)


class ExportState(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


# How long a finished export can be downloaded before its content is dropped.
EXPORT_LIFETIME_DAYS = 7


class DataExport(models.Model):
    """A ZIP of everything a person created and everything held about them.

    The file lives in the database so that any web machine can serve it; it is dropped when the
    export expires, leaving the row as a record that an export was made.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports")
    state = models.CharField(_("state"), max_length=16, choices=ExportState.choices, default=ExportState.PENDING)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    content = models.BinaryField(null=True, blank=True, editable=False)
    # Why building failed, for operators; the person sees only that it failed.
    error = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="data_export_user_newest"),
            models.Index(fields=["state", "expires_at"], name="data_export_state_expiry"),
        ]

    def __str__(self) -> str:
        return f"export {self.pk} of {self.user_id} ({self.state})"

    @property
    def is_downloadable(self) -> bool:
        return self.state == ExportState.READY and self.expires_at is not None and self.expires_at > timezone.now()
