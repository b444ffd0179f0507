"""While the annual exam runs, nothing a cadre can reach holds a key of its questions.

On the demo township, the demo cadre sits the running annual exam (review after the
close) and is graded; then every cadre URL the URL resolver knows (arguments filled with
this cadre's objects), every same-site link on those pages and every form on them
(posted with a plausible answer), and the JSON endpoints, are fetched. No response may
hold the explanation, an accepted blank, the law reference or the correct option (marked
as such) of a question withheld from this cadre (each marked for the test; the key is
shown only beside them), nor a fraction. The same crawl after the exam closes finds every
mark: the check can fail.
"""

import json
import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import timezone

from courses.models import Law, TrainingSession
from exams.models import Attempt, AttemptItem, Exam, MistakeEntry, Question, QuestionVersion
from lms.accounts.models import User
from tests.visible_text import read_page

pytestmark = pytest.mark.django_db

MARK = "密钥"
# A withheld question's law reference cites this article, shown only beside the key.
ARTICLE_MARK = "第九千八百七十六条"
LEAKS = (MARK, ARTICLE_MARK, "fraction")
# The correct options of withheld choice questions read 正解标记 (the others 干扰项), so a
# page may show them among the options, but never marked as the key: an option <li> with
# the "key" class or the "correct" tag.
RIGHT_OPTION = "正解标记"
OPTION_MARKED_RIGHT = re.compile(
    r'<li class="[^"]*\bkey\b[^"]*">(?:(?!</li>).)*?正解标记'
    r"|正解标记(?:(?!</li>).)*?<span class=\"tag ok\">",
    re.DOTALL,
)
SKIP = re.compile(r"^/(admin|accounts/logout|documents|media|static)/|\.(mp4|vtt|pdf|png|jpg)$")
MAX_PAGES = 500


class Forms(HTMLParser):
    """The POST forms of a page: action and the fields a cadre would fill in."""

    def __init__(self):
        super().__init__()
        self.forms, self._form = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = {"action": attrs.get("action") or "", "fields": {}}
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select"):
            name, kind = attrs.get("name"), attrs.get("type", tag)
            if not name or name in self._form["fields"]:
                return  # the first choice of a radio or checkbox group
            plausible = {"text": "依法行政", "textarea": "这道题的选项有误"}
            self._form["fields"][name] = attrs.get("value") or plausible.get(kind, "1")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def _reverse(name, kwargs) -> str | None:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def cadre_urls(objects) -> list[str]:
    """Every URL of the resolver (outside the admin) with its arguments filled in from
    this cadre's objects (each value of each argument at least once); one whose
    arguments cannot be filled is left out."""
    resolver = get_resolver()
    urls = set()
    for name in [key for key in resolver.reverse_dict if isinstance(key, str)]:
        for _bits, pattern, _defaults, converters in resolver.reverse_dict.getlist(name):
            params = list(converters) or re.findall(r"<(?:\w+:)?(\w+)>", pattern)
            choices = {param: objects.get(param, []) for param in params}
            if not all(choices.values()):
                continue
            first = {param: values[0] for param, values in choices.items()}
            urls.add(_reverse(name, first))
            for param, values in choices.items():
                urls.update(_reverse(name, {**first, param: value}) for value in values[1:])
    return sorted(url for url in urls - {None} if not SKIP.search(url))


class Crawl:
    def __init__(self, client):
        self.client, self.seen, self.posted, self.leaks = client, set(), set(), []

    def check(self, what, response):
        body = response.content.decode("utf-8", "replace")
        for leak in LEAKS:
            if leak in body:
                self.leaks.append((what, leak))
        if OPTION_MARKED_RIGHT.search(body):
            self.leaks.append((what, RIGHT_OPTION))
        return body

    def run(self, start):
        queue = list(start)
        while queue and len(self.seen) < MAX_PAGES:
            parts = urlsplit(urldefrag(queue.pop(0))[0])
            if parts.netloc and parts.netloc != "testserver":
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path in self.seen or not path.startswith("/") or SKIP.search(parts.path):
                continue
            self.seen.add(path)
            response = self.client.get(path, follow=True)
            body = self.check(f"GET {path}", response)
            if "html" not in response.get("Content-Type", ""):
                continue
            queue += read_page(body).links
            queue += self.post_forms(path, body)
        return self

    def post_forms(self, path, body) -> list[str]:
        parser = Forms()
        parser.feed(body)
        links = []
        for form in parser.forms:
            action = form["action"] or path
            if SKIP.search(urlsplit(action).path) or action in self.posted:
                continue
            self.posted.add(action)
            response = self.client.post(action, form["fields"], follow=True)
            links += read_page(self.check(f"POST {action}", response)).links
        return links


def withhold_marked(user, annual):
    """Mark the explanations and accepted blanks of the questions withheld from `user`:
    those the running annual exam can draw, save those the cadre met in a practice."""
    met = AttemptItem.objects.filter(attempt__user=user, attempt__exam__kind=Exam.Kind.PRACTICE)
    pool = set()
    for rule in annual.rules.select_related("category"):
        drawable = Question.objects.filter(category__in=rule.category.subtree(), kind=rule.kind)
        pool |= set(drawable.values_list("pk", flat=True))
    pool |= set(annual.fixed_questions.values_list("question_id", flat=True))
    withheld = pool - set(met.values_list("question_id", flat=True))
    for version in QuestionVersion.objects.filter(question_id__in=withheld):
        version.explanation = f"<p>{MARK}解析{version.question_id}</p>"
        version.blanks = [[f"{MARK}{i}"] for i, _ in enumerate(version.blanks)]
        keys = set(version.correct_keys)
        version.choices = [
            {**c, "text": f"<p>{RIGHT_OPTION if c['key'] in keys else '干扰项'}{c['key']}</p>"}
            for c in version.choices
        ]
        version.save(update_fields=["explanation", "blanks", "choices"])
    Question.objects.filter(pk__in=withheld).exclude(law=None).update(
        law_articles="9876", law_reference=f"{MARK}依据"
    )
    return withheld


def page_values(html):
    values = {}
    for position, value in re.findall(r'name="q(\d+)" value="([^"]+)"', html):
        values.setdefault(int(position), []).append(value)
    return values


def sit_annual(crawl, annual):
    """Start the annual exam as a phone does, answer the first question, submit; the
    attempt page, the save's answer and the result are checked as the crawl's pages."""
    client = crawl.client
    html = crawl.check("POST start", client.post(f"/exams/{annual.pk}/start/"))
    assert not re.search(r'value="[A-H]"', html)  # opaque option values (option_tokens)
    attempt = Attempt.objects.get(exam=annual, status=Attempt.Status.IN_PROGRESS)
    token = re.search(r'data-token="([^"]+)"', html).group(1)
    first = page_values(html)[1][0]
    body = json.dumps({"position": 1, "answer": {"choices": [first]}, "seq": 1})
    saved = Client().post(
        f"/exams/api/attempts/{attempt.pk}/answers/",
        body,
        content_type="application/json",
        HTTP_X_ATTEMPT_TOKEN=token,
    )
    assert crawl.check("POST answer", saved) and saved.status_code == 200, saved.content
    crawl.check("POST submit", client.post(f"/exams/attempts/{attempt.pk}/submit/", follow=True))
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED
    return attempt


def json_calls(crawl, user):
    """The JSON endpoints, with plausible bodies: answers to a practice attempt's
    questions, their checks, and the list of checked ones."""
    practice = Attempt.objects.filter(
        user=user, exam__kind=Exam.Kind.PRACTICE, status=Attempt.Status.IN_PROGRESS
    ).first()
    assert practice is not None
    client = crawl.client
    html = client.get(f"/exams/attempts/{practice.pk}/").content.decode()
    token = re.search(r'data-token="([^"]+)"', html).group(1)
    for seq, (position, values) in enumerate(sorted(page_values(html).items()), start=1):
        body = {"position": position, "answer": {"choices": values[:1]}, "seq": seq}
        url = reverse("api_answer", args=[practice.pk])
        crawl.check(
            f"POST {url}",
            Client().post(
                url, json.dumps(body), content_type="application/json", HTTP_X_ATTEMPT_TOKEN=token
            ),
        )
        url = reverse("practice_check", args=[practice.pk])
        checked = client.post(url, json.dumps({"position": position}), "application/json")
        crawl.check(f"POST {url} {position}", checked)
    for attempt in Attempt.objects.filter(user=user):
        url = reverse("practice_checked", args=[attempt.pk])
        crawl.check(f"GET {url}", client.get(url))
    url = reverse("study_heartbeat")
    crawl.check(f"POST {url}", client.post(url, "{}", "application/json"))


@pytest.fixture
def graded_cadre():
    call_command("seed_demo")
    user = User.objects.get(phone="13800000001")
    now = timezone.now()
    annual = Exam.objects.get(kind=Exam.Kind.ANNUAL, opens_at__lte=now, closes_at__gt=now)
    assert annual.review_policy == Exam.ReviewPolicy.AFTER_CLOSE
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    crawl = Crawl(client)
    withheld = withhold_marked(user, annual)
    sit_annual(crawl, annual)
    practice = Exam.objects.get(kind=Exam.Kind.PRACTICE, is_published=True)
    assert client.post(f"/exams/{practice.pk}/start/").status_code == 200
    assert MistakeEntry.objects.filter(user=user, question_id__in=withheld).exists()
    return crawl, user, annual, withheld


def objects_of(user):
    attempts = list(Attempt.objects.filter(user=user).values_list("pk", flat=True))
    return {
        "attempt_id": attempts,
        "exam_id": list(Exam.objects.filter(is_published=True).values_list("pk", flat=True)),
        "question_id": list(
            MistakeEntry.objects.filter(user=user).values_list("question_id", flat=True)
        ),
        "position": [1, 2, 3, 4, 5],
        "code": list(
            Attempt.objects.filter(user=user)
            .exclude(certificate_code="")
            .values_list("certificate_code", flat=True)
        ),
        "slug": list(Law.objects.values_list("slug", flat=True)[:5]),
        "pk": [*TrainingSession.objects.values_list("pk", flat=True)[:3], user.pk],
    }


def test_no_key_of_a_running_exam_reaches_a_graded_cadre(graded_cadre):
    crawl, user, annual, withheld = graded_cadre
    client = crawl.client
    start = cadre_urls(objects_of(user))
    in_book = set(MistakeEntry.objects.filter(user=user).values_list("question_id", flat=True))
    assert reverse("mistake_question", args=[min(withheld & in_book)]) in start
    json_calls(crawl, user)  # first: the crawl submits the practice attempt by its form
    crawl.run(["/", *start])
    assert len(crawl.seen) > 40 and len(crawl.posted) > 5, (crawl.seen, crawl.posted)
    assert {reverse("mistake_book"), reverse("daily_practice")} <= crawl.seen
    assert crawl.leaks == [], "keys of the running exam reached the cadre:\n" + "\n".join(
        f"  {what}: {leak}" for what, leak in crawl.leaks
    )

    # The same crawl finds the marks once the exam has closed: the check can fail.
    Exam.objects.filter(pk=annual.pk).update(closes_at=timezone.now())
    mistakes = [reverse("mistake_question", args=[pk]) for pk in sorted(withheld)[:3]]
    after = Crawl(client).run([reverse("mistake_book"), *mistakes])
    assert {MARK, RIGHT_OPTION, ARTICLE_MARK} <= {leak for _what, leak in after.leaks}
