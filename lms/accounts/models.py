"""The custom user (a cadre or staff member) and the organisation tree of units."""

from django.contrib import admin
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lms.tree import MaterialisedPathMixin, parent_field

from .phones import validate_mobile


class OrgUnit(MaterialisedPathMixin):
    """A unit: the township, a village, a residential community, a station.

    The tree is a parent link plus a materialised `path` of ancestor ids ("/1/4/9/"), so
    "this unit and everything below it" is one indexed prefix query (lms/tree.py).
    """

    class Kind(models.TextChoices):
        TOWNSHIP = "township", _("Township")
        VILLAGE = "village", _("Village")
        COMMUNITY = "community", _("Residential community")
        STATION = "station", _("Station or office")
        OTHER = "other", _("Other")

    depth_field = "depth"
    cycle_message = _("A unit cannot be placed under itself or its own subunit.")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    parent = parent_field(_("parent unit"))
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self):
        return self.name

    def path_segment(self):
        return str(self.pk) if self.pk else None

    @property
    @admin.display(description=_("name"))
    def indented_name(self):
        return "\u3000" * self.depth + self.name


class CadreCategory(models.TextChoices):
    TOWNSHIP_STAFF = "township_staff", _("Township staff")
    VILLAGE_CADRE = "village_cadre", _("Village cadre")
    COMMUNITY_CADRE = "community_cadre", _("Community cadre")
    STATION_STAFF = "station_staff", _("Station staff")
    GRID_MANAGER = "grid_manager", _("Grid manager")


class ActiveUserManager(UserManager):
    def get_queryset(self):
        return super().get_queryset().filter(is_active=True)


class User(AbstractUser):
    """Every person who signs in. A cadre is a user with a unit; staff roles are groups."""

    name = models.CharField(_("name"), max_length=50, blank=True)
    phone = models.CharField(
        _("mobile phone"),
        max_length=11,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_mobile],
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    position = models.CharField(_("position"), max_length=100, blank=True)
    category = models.CharField(
        _("cadre category"), max_length=20, choices=CadreCategory.choices, blank=True
    )
    led_units = models.ManyToManyField(
        OrgUnit,
        verbose_name=_("units led"),
        blank=True,
        related_name="leaders",
        help_text=_("A unit leader sees these units and every unit below them."),
    )
    must_change_password = models.BooleanField(_("must change password"), default=False)
    large_text = models.BooleanField(_("large text"), default=False)

    objects = UserManager()
    active = ActiveUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [
            ("import_roster", _("Can import the cadre roster")),
            ("reset_password", _("Can reset cadres' passwords")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(phone__isnull=True) | ~Q(phone=""), name="phone_null_not_empty"
            )
        ]

    def __str__(self):
        return self.name or self.username

    def save(self, *args, **kwargs):
        # Empty strings would collide on the unique constraint; "no phone" is NULL.
        if not self.phone:
            self.phone = None
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.name or self.username

    def get_short_name(self):
        return self.name or self.username


class Cadre(User):
    """An account as the cadre list shows it: the admin's listing, its breadcrumbs, titles
    and messages say 干部 (DESIGN's word), while Wagtail's own user admin keeps 用户 for
    accounts. A proxy with no permissions of its own: the list asks for User's."""

    class Meta:
        proxy = True
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        default_permissions = ()
