"""`{% wizard_script_words %}`: the words wizard.js shows (filter status, copy buttons) as
`data-word-<id>` attributes of its <script> tag, from vocabulary.yaml's wizard_script group, so the
script holds no wording of its own."""
from django import template
from django.forms.utils import flatatt
from django.utils.safestring import SafeString

from generator.library import get_catalogues

register = template.Library()


@register.simple_tag
def wizard_script_words() -> SafeString:
    words = get_catalogues().vocabulary["wizard_script"]
    return flatatt({f"data-word-{key.replace('_', '-')}": text for key, text in words.items()})
