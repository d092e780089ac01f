"""PLACEHOLDER: the owning helper replaces this module."""


def fix_stray_punctuation(text: str) -> str:
    return text
