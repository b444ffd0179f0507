"""Demo question bank on the new laws of 2021 (idempotent).

Written for the demo; every answer follows the article text in courses/data/laws/*.md.
Each entry: (kind, stem, choices or blanks, answer, article numbers, explanation), the
answer being the correct letters (None for blanks); true-or-false entries have no choices
and True/False as the answer.
"""

# The bank below is a table of Chinese sentences; wrapping them would hurt reading.
# ruff: noqa: E501

from django.db import transaction

from courses.selectors_laws import laws_by_slugs
from exams.models import Question, QuestionCategory, QuestionKind
from exams.services.bank import FALSE_TEXT, TRUE_TEXT, question_create, stem_plain_text

ROOT = "2021年新法"

S, M, T, B = QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUEFALSE, QuestionKind.BLANK

# fmt: off
BANK = {
    ("行政处罚法", "administrative-penalty-law-2021", "《中华人民共和国行政处罚法》"): [
        (S, "违法行为在（  ）内未被发现的，不再给予行政处罚，法律另有规定的除外。",
         ["六个月", "一年", "二年", "三年"], "C", "36",
         "第三十六条：违法行为在二年内未被发现的，不再给予行政处罚。"),
        (S, "涉及公民生命健康安全、金融安全且有危害后果的违法行为，不再给予行政处罚的期限延长至（  ）。",
         ["三年", "五年", "十年", "二十年"], "B", "36",
         "第三十六条：上述期限延长至五年。"),
        (S, "不满（  ）周岁的未成年人有违法行为的，不予行政处罚，责令监护人加以管教。",
         ["八", "十二", "十四", "十六"], "C", "30", "第三十条。"),
        (S, "执法人员当场作出行政处罚决定的，对公民处以（  ）以下罚款的，可以当场作出决定。",
         ["五十元", "一百元", "二百元", "五百元"], "C", "51",
         "第五十一条：对公民处以二百元以下、对法人或者其他组织处以三千元以下罚款或者警告。"),
        (S, "行政处罚应当由具有行政执法资格的执法人员实施，执法人员不得少于（  ），法律另有规定的除外。",
         ["一人", "两人", "三人", "五人"], "B", "42", "第四十二条。"),
        (S, "当事人要求听证的，应当在行政机关告知后（  ）内提出。",
         ["三日", "五日", "七日", "十五日"], "B", "64", "第六十四条第一项。"),
        (S, "行政机关应当自行政处罚案件立案之日起（  ）内作出行政处罚决定，法律、法规、规章另有规定的除外。",
         ["三十日", "六十日", "九十日", "一百八十日"], "C", "60", "第六十条。"),
        (S, "修订后的《行政处罚法》自（  ）起施行。",
         ["2021年1月1日", "2021年7月15日", "2021年9月1日", "2021年11月1日"], "B", "86", "第八十六条。"),
        (M, "下列属于《行政处罚法》规定的行政处罚种类的有（  ）。",
         ["警告、通报批评", "罚款、没收违法所得", "限制从业", "记过"], "ABC", "9",
         "第九条；记过是处分，不是行政处罚。"),
        (M, "行政机关在作出行政处罚决定之前，应当告知当事人依法享有的（  ）等权利。",
         ["陈述", "申辩", "要求听证", "要求赔偿"], "ABC", "44", "第四十四条。"),
        (M, "关于不予行政处罚，下列说法正确的有（  ）。",
         ["违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚",
          "初次违法且危害后果轻微并及时改正的，可以不予行政处罚",
          "已满十四周岁不满十八周岁的未成年人有违法行为的，一律不予行政处罚",
          "不满十四周岁的未成年人有违法行为的，不予行政处罚"], "ABD", "30, 33",
         "第三十条、第三十三条；已满十四周岁不满十八周岁的，应当从轻或者减轻处罚。"),
        (T, "对当事人的同一个违法行为，不得给予两次以上罚款的行政处罚。", True, "29", "第二十九条。"),
        (T, "行政机关可以因当事人陈述、申辩而给予更重的处罚。", False, "45",
         "第四十五条：行政机关不得因当事人陈述、申辩而给予更重的处罚。"),
        (T, "作出罚款决定的行政机关应当与收缴罚款的机构分离。", True, "67", "第六十七条。"),
        (B, "违法行为在____内未被发现的，不再给予行政处罚。", [["二年", "两年", "2年"]], None, "36",
         "第三十六条。"),
    ],
    ("乡村振兴促进法", "rural-revitalization-promotion-law-2021", "《中华人民共和国乡村振兴促进法》"): [
        (S, "每年农历（  ）为中国农民丰收节。", ["春分日", "夏至日", "秋分日", "冬至日"], "C", "7", "第七条。"),
        (S, "《乡村振兴促进法》自（  ）起施行。",
         ["2021年1月1日", "2021年6月1日", "2021年7月1日", "2021年10月1日"], "B", "74", "第七十四条。"),
        (M, "全面实施乡村振兴战略，开展促进乡村（  ）振兴等活动，适用《乡村振兴促进法》。",
         ["产业", "人才", "文化", "生态"], "ABCD", "2",
         "第二条：产业振兴、人才振兴、文化振兴、生态振兴、组织振兴。"),
        (T, "《乡村振兴促进法》所称乡村，包括乡镇和村庄等。", True, "2", "第二条第二款。"),
        (T, "乡镇人民政府应当指导和支持农村基层群众性自治组织规范化、制度化建设，健全村民委员会民主决策机制和村务公开制度。",
         True, "45", "第四十五条。"),
        (S, "国家对剧毒、高毒、高残留的农药、兽药采取（  ）措施。",
         ["鼓励使用", "禁用限用", "自由使用", "登记备案"], "B", "39", "第三十九条。"),
        (B, "每年农历____为中国农民丰收节。", [["秋分日", "秋分"]], None, "7", "第七条。"),
    ],
    ("数据安全法", "data-security-law-2021", "《中华人民共和国数据安全法》"): [
        (S, "《数据安全法》所称数据，是指任何以（  ）方式对信息的记录。",
         ["电子", "电子或者其他", "纸质", "网络"], "B", "3", "第三条。"),
        (S, "《数据安全法》自（  ）起施行。",
         ["2021年6月1日", "2021年7月15日", "2021年9月1日", "2021年11月1日"], "C", "55", "第五十五条。"),
        (S, "关系国家安全、国民经济命脉、重要民生、重大公共利益等数据属于（  ），实行更加严格的管理制度。",
         ["重要数据", "国家核心数据", "一般数据", "公共数据"], "B", "21", "第二十一条第二款。"),
        (M, "根据《数据安全法》，数据处理包括数据的（  ）等。", ["收集", "存储", "使用", "传输"], "ABCD", "3",
         "第三条：收集、存储、使用、加工、传输、提供、公开等。"),
        (T, "国家建立数据分类分级保护制度。", True, "21", "第二十一条。"),
        (T, "重要数据的处理者无需明确数据安全负责人和管理机构。", False, "27",
         "第二十七条：重要数据的处理者应当明确数据安全负责人和管理机构。"),
        (S, "负责统筹协调网络数据安全和相关监管工作的是（  ）。",
         ["公安机关", "国家安全机关", "国家网信部门", "工业主管部门"], "C", "6", "第六条第四款。"),
    ],
    ("个人信息保护法", "personal-information-protection-law-2021", "《中华人民共和国个人信息保护法》"): [
        (S, "个人信息处理者处理不满（  ）周岁未成年人个人信息的，应当取得未成年人的父母或者其他监护人的同意。",
         ["八", "十二", "十四", "十六"], "C", "31", "第三十一条。"),
        (S, "《个人信息保护法》自（  ）起施行。",
         ["2021年6月1日", "2021年9月1日", "2021年11月1日", "2022年1月1日"], "C", "74", "第七十四条。"),
        (S, "下列信息中，不属于《个人信息保护法》所称个人信息的是（  ）。",
         ["手机号码", "家庭住址", "匿名化处理后的信息", "行踪轨迹"], "C", "4",
         "第四条：个人信息不包括匿名化处理后的信息。"),
        (M, "处理个人信息应当遵循（  ）原则。", ["合法", "正当", "必要", "诚信"], "ABCD", "5", "第五条。"),
        (M, "根据《个人信息保护法》，下列属于敏感个人信息的有（  ）。",
         ["生物识别信息", "医疗健康信息", "金融账户信息", "不满十四周岁未成年人的个人信息"], "ABCD", "28",
         "第二十八条。"),
        (T, "个人撤回同意，不影响撤回前基于个人同意已进行的个人信息处理活动的效力。", True, "15", "第十五条。"),
        (T, "为履行法定职责或者法定义务所必需处理个人信息的，也必须取得个人同意。", False, "13",
         "第十三条：有第二项至第七项情形的，不需取得个人同意。"),
        (T, "个人撤回同意的，个人信息处理者应当主动删除个人信息。", True, "47", "第四十七条第一款第三项。"),
        (B, "处理个人信息应当遵循合法、正当、必要和____原则。", [["诚信"]], None, "5", "第五条。"),
    ],
    ("民法典总则编", "civil-code-2020-general-provisions", "《中华人民共和国民法典》"): [
        (S, "（  ）周岁以上的自然人为成年人。", ["十六", "十八", "二十", "二十二"], "B", "17", "第十七条。"),
        (S, "（  ）周岁以上的未成年人为限制民事行为能力人。", ["六", "八", "十", "十二"], "B", "19", "第十九条。"),
        (S, "向人民法院请求保护民事权利的诉讼时效期间为（  ），法律另有规定的除外。",
         ["一年", "二年", "三年", "四年"], "C", "188", "第一百八十八条。"),
        (T, "村民委员会具有基层群众性自治组织法人资格，可以从事为履行职能所需要的民事活动。", True, "101",
         "第一百零一条。"),
        (T, "十六周岁以上的未成年人，以自己的劳动收入为主要生活来源的，视为完全民事行为能力人。", True, "18",
         "第十八条第二款。"),
        (T, "不满八周岁的未成年人为限制民事行为能力人。", False, "20", "第二十条：为无民事行为能力人。"),
    ],
    ("民法典人格权编", "civil-code-2020-personality-rights", "《中华人民共和国民法典》"): [
        (M, "下列属于《民法典》规定的人格权的有（  ）。", ["生命权", "姓名权", "肖像权", "继承权"], "ABC", "990",
         "第九百九十条；继承权不是人格权。"),
        (S, "任何组织或者个人不得以侮辱、诽谤等方式侵害他人的（  ）。", ["肖像权", "名誉权", "姓名权", "荣誉权"], "B",
         "1024", "第一千零二十四条。"),
        (T, "未经肖像权人同意，不得制作、使用、公开肖像权人的肖像，但是法律另有规定的除外。", True, "1019",
         "第一千零一十九条。"),
        (M, "隐私是自然人的（  ）。", ["私人生活安宁", "私密空间", "私密活动", "社会评价"], "ABC", "1032",
         "第一千零三十二条；社会评价是名誉。"),
        (T, "个人信息中的私密信息，适用有关隐私权的规定。", True, "1034", "第一千零三十四条第三款。"),
    ],
}
# fmt: on


def _choices(kind, options, answer):
    if kind == QuestionKind.TRUEFALSE:
        return [
            {"text": TRUE_TEXT, "fraction": 1 if answer else 0},
            {"text": FALSE_TEXT, "fraction": 0 if answer else 1},
        ]
    share = 1 if kind == QuestionKind.SINGLE else f"{1 / len(answer):.7f}"
    return [
        {"text": text, "fraction": share if letter in answer else 0}
        for letter, text in zip("ABCDEFGH", options, strict=False)
    ]


def _articles_label(numbers: str) -> str:
    return "、".join(f"第{n.strip()}条" for n in numbers.split(","))


@transaction.atomic
def seed_question_bank() -> dict:
    """Create the demo questions that are missing (matched by category and stem)."""
    laws = laws_by_slugs([k[1] for k in BANK])
    created = 0
    for (name, slug, title), entries in BANK.items():
        category = QuestionCategory.ensure_path([ROOT, name])
        existing = set(
            Question.objects.filter(category=category).values_list("stem_text", flat=True)
        )
        for entry in entries:
            if entry[0] == QuestionKind.TRUEFALSE:
                kind, stem, answer, articles, explanation = entry
                options = None
            else:
                kind, stem, options, answer, articles, explanation = entry
            if stem_plain_text(stem) in existing:
                continue
            question_create(
                category=category,
                kind=kind,
                stem=stem,
                choices=_choices(kind, options, answer) if kind != QuestionKind.BLANK else [],
                blanks=options if kind == QuestionKind.BLANK else [],
                explanation=explanation,
                difficulty="easy" if kind == QuestionKind.TRUEFALSE else "medium",
                default_points=2 if kind == QuestionKind.MULTIPLE else 1,
                law=laws.get(slug),
                law_articles=articles,
                law_reference=f"{title}{_articles_label(articles)}",
                tags=["2021年新法"],
            )
            created += 1
    return {
        "questions_created": created,
        "questions": Question.objects.filter(category__full_path__startswith=ROOT).count(),
    }
