"""Languages the public pages are offered in. To add one (Chinese, Vietnamese, Somali, Tagalog,
Korean, Amharic, ...): `oversight manage makemessages -l CODE` inside src/oversight/public (and
inside oig, recommendations, cpc and manual, whose public pages have catalogues of their own),
translate each locale/CODE/LC_MESSAGES/django.po, `oversight manage compilemessages`, and list it
here."""

PUBLIC_LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
]
