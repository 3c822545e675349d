"""manage.py create_editor USERNAME: a staff account in the Editors group (not a superuser)."""

import getpass
import os

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import DatabaseError, transaction

from lists.roles import EDITORS_GROUP, apply_roles

NO_TABLES_MESSAGE = "The database has no tables yet: run manage.py migrate (make migrate) first."


class Command(BaseCommand):
    help = (
        "Create (or update) an editor: a staff user in the Editors group. Prompts for the "
        "password, or reads it from the environment variable named by --password-from-env."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-from-env",
            metavar="VAR",
            help="Read the password from this environment variable instead of prompting.",
        )

    def handle(self, username, email, password_from_env, **options):
        User = get_user_model()
        # Checked before anything is written: the admin's login would never accept such a name.
        username_field = User._meta.get_field(User.USERNAME_FIELD)
        username = self._checked(
            "Username", username, lambda name: username_field.clean(name, None)
        )
        if email:
            self._checked("Email", email, validate_email)
        # The roles are code: (re)applying them here makes the group whatever reset the data.
        try:
            group = apply_roles()[EDITORS_GROUP]
        except DatabaseError as error:
            raise CommandError(NO_TABLES_MESSAGE) from error
        user = User.objects.filter(username=username).first() or User(username=username)
        if email:
            user.email = email
        password = self._password(password_from_env)
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

        created = user.pk is None
        with transaction.atomic():
            user.is_staff = True
            user.is_active = True
            user.set_password(password)
            user.save()
            user.groups.add(group)
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} editor “{username}” (staff, Editors)."))

    @staticmethod
    def _checked(label, value, check):
        """`value` as `check` returns it (a validator returns None: then `value` itself)."""
        try:
            cleaned = check(value)
        except ValidationError as error:
            raise CommandError(f"{label} “{value}”: {' '.join(error.messages)}") from error
        return value if cleaned is None else cleaned

    def _password(self, variable):
        if variable:
            password = os.environ.get(variable, "")
            if not password:
                raise CommandError(f"The environment variable {variable} is empty or unset.")
            return password
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        if not password:
            raise CommandError("The password may not be empty.")
        return password
