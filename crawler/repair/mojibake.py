"""PLACEHOLDER: the owning helper replaces this module."""


def fix_utf8_as_gbk(text: str) -> str:
    return text


def fix_gbk_as_latin1(text: str) -> str:
    return text


def fix_utf8_as_cp1252(text: str) -> str:
    return text


def fix_shifted_gbk(text: str) -> str:
    return text
