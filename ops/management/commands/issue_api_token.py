"""manage.py issue_api_token USERNAME: a new API token for an existing account, printed once.

For scripts and machines; a person uses their token page in the admin (/admin/tokens/).
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.tokens import TokenError, issue_token


class Command(BaseCommand):
    help = "Issue an API token for USERNAME and print it once (only its digest is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active account named “{username}”.")
        try:
            row, token = issue_token(user)
        except TokenError as error:
            raise CommandError(str(error)) from error
        self.stderr.write(f"Token for “{username}”, valid until {row.expiry:%Y-%m-%d %H:%M} UTC:")
        self.stdout.write(token)
