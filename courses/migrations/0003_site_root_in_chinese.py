"""The site's root page and name, and the roots of the page tree and of the collections, in
Chinese: Wagtail's first migrations leave a root page titled "Welcome to your new Wagtail
site!", a site without a name and two roots named "Root", which the admin's page tree,
collections and dashboard show. The root stays a plain page at "/", the parent of the course
catalogue; "/" itself is the cadre's home view, so no page's URL changes."""

from django.conf import settings
from django.db import migrations

WAGTAIL_WELCOME = "Welcome to your new Wagtail site!"
# Treebeard's root above every site, which the admin's page tree shows as "Root".
TREE_ROOT_TITLE = "根目录"


def forwards(apps, schema_editor):
    Site = apps.get_model("wagtailcore", "Site")
    Page = apps.get_model("wagtailcore", "Page")
    name = settings.WAGTAIL_SITE_NAME
    for site in Site.objects.filter(is_default_site=True):
        if not site.site_name:
            site.site_name = name
            site.save(update_fields=["site_name"])
        Page.objects.filter(pk=site.root_page_id, title=WAGTAIL_WELCOME).update(
            title=name, draft_title=name
        )
    Page.objects.filter(depth=1, title="Root").update(
        title=TREE_ROOT_TITLE, draft_title=TREE_ROOT_TITLE
    )
    # The same for the root of the media collections.
    apps.get_model("wagtailcore", "Collection").objects.filter(depth=1, name="Root").update(
        name=TREE_ROOT_TITLE
    )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0002_study_presence_page"),
        # The default site, the page tree's root and the root collection exist by then.
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
