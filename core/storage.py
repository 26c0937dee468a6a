"""Static files in production: WhiteNoise's compressed, hashed copies."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Also rewrites `import … from "../x.js";` in the site's ES modules to the hashed names,
    so that a page's module and the modules it imports are always of the same release (the
    un-hashed names are cached for a while)."""

    support_js_module_import_aggregation = True
