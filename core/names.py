"""Which names are Chinese: one rule for the pages (Chinese names first on Chinese pages) and for the
downloads' Chinese-name columns, so a page and its download never disagree about a name."""
import re

# Written in Han characters only, with CJK punctuation and brackets (a Japanese name with kana, a Korean one
# in Hangul, or a Latin name with a Chinese word in it is not a Chinese name).
HAN_NAME = re.compile(r"^(?=.*[\u4e00-\u9fff])[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff08\uff09·()\s]+$")


def is_chinese(text: str) -> bool:
    return bool(text and HAN_NAME.match(text))
