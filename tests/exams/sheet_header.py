"""The question template's header row as a trainer's sheet has it (the columns spelled
out, not derived from the importer, so a renamed column fails the tests)."""

HEADER = [
    "题型",
    "题干",
    "选项A",
    "选项B",
    "选项C",
    "选项D",
    "答案",
    "解析",
    "分类",
    "难度",
    "分值",
    "法律依据",
    "标签",
]
