"""Field factories for a kind of model field the apps declare many times over."""

from django.db import models


def optional_reference(
    to,
    verbose_name=None,
    *,
    on_delete=models.SET_NULL,
    related_name="+",
    field=models.ForeignKey,
):
    """A reference that may be empty, in the database (null) and in forms (blank). By
    default it is cleared when what it points at is deleted (pass models.PROTECT to keep
    that from being deleted instead) and gives the target no reverse accessor; `field` is
    models.OneToOneField for a reference two rows may not share."""
    return field(
        to,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=on_delete,
        related_name=related_name,
    )
