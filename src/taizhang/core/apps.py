from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared mechanisms: base models, scoping, audit helpers, the working-day calendar."""

    name = "taizhang.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self):
        from . import audit  # noqa: F401  (registers models with the audit trail)
        from . import sessions  # noqa: F401  (stamps a session's refresh time at login)
        from .commands import install_chinese_argparse_errors
        from .reading import ooxml

        ooxml.configure(ooxml_limits_from_settings())
        install_chinese_argparse_errors()


def ooxml_limits_from_settings():
    """The :class:`~taizhang.core.reading.ooxml.OoxmlLimits` the settings state
    (``TAIZHANG_OOXML_*`` and ``TAIZHANG_MAX_UPLOAD_BYTES``)."""
    from django.conf import settings

    from .reading.ooxml import OoxmlLimits

    return OoxmlLimits(
        max_entries=settings.TAIZHANG_OOXML_MAX_ENTRIES,
        max_unpacked_bytes=settings.TAIZHANG_OOXML_MAX_UNPACKED_BYTES,
        max_part_bytes=settings.TAIZHANG_OOXML_MAX_PART_BYTES,
        max_ratio=settings.TAIZHANG_OOXML_MAX_RATIO,
        ratio_floor_bytes=settings.TAIZHANG_OOXML_RATIO_FLOOR_BYTES,
        max_file_bytes=settings.TAIZHANG_MAX_UPLOAD_BYTES,
    )
