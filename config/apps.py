from django.contrib.admin.apps import AdminConfig


class SuperuserAdminConfig(AdminConfig):
    """django.contrib.admin with the superuser-only site of config.admin."""

    default_site = "config.admin.SuperuserAdminSite"
