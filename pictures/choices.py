"""The pictures' vocabulary: what a picture shows and under which licence it may be shown."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PictureKind(models.TextChoices):
    POSTER = "poster", _("Poster")
    STILL = "still", _("Still")
    PORTRAIT = "portrait", _("Portrait")
    COVER = "cover", _("Cover")


class Licence(models.TextChoices):
    PUBLIC_DOMAIN = "public_domain", _("Public domain")
    CC0 = "cc0", "CC0 1.0"
    CC_BY_4 = "cc_by_4", "CC BY 4.0"
    CC_BY_SA_4 = "cc_by_sa_4", "CC BY-SA 4.0"
    CC_BY_3 = "cc_by_3", "CC BY 3.0"
    CC_BY_SA_3 = "cc_by_sa_3", "CC BY-SA 3.0"
    PERMISSION = "permission", _("Used with permission")
    FAIR_USE = "fair_use", _("Fair use")


# Licences whose terms a page links to, so a reader can check what the licence allows.
LICENCE_URLS = {
    Licence.PUBLIC_DOMAIN: "https://creativecommons.org/publicdomain/mark/1.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
    Licence.CC_BY_4: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA_4: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY_3: "https://creativecommons.org/licenses/by/3.0/",
    Licence.CC_BY_SA_3: "https://creativecommons.org/licenses/by-sa/3.0/",
}
# Licences that only hold with an explanation written next to them.
LICENCES_NEEDING_NOTE = (Licence.FAIR_USE, Licence.PERMISSION)
