"""QR check-in to a training session: tokens, the check-in window, audience, idempotency."""

from datetime import timedelta

import pytest
import qrcode
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from courses.models import StudyCredit, TrainingAttendance
from courses.services import training as services
from courses.services.training import (
    CheckinAlreadyDone,
    CheckinClosed,
    CheckinNotInAudience,
    CheckinNotOpen,
    CheckinTokenInvalid,
    CheckinWrongSession,
    checkin_token_make,
    training_checkin,
    training_checkin_secret_rotate,
)
from lms.accounts.models import CadreCategory
from tests.conftest import client_for
from tests.courses.factories_training import TrainingSessionFactory

pytestmark = pytest.mark.django_db


def checkin_url(session, token=None):
    return reverse(
        "training_checkin", args=[session.pk, token or checkin_token_make(session=session)]
    )


def test_valid_checkin_writes_attendance_and_exactly_one_credit(cadre):
    session = TrainingSessionFactory(topic="民法典婚姻家庭编")
    attendance = training_checkin(
        session=session, token=checkin_token_make(session=session), user=cadre
    )

    assert attendance.method == TrainingAttendance.Method.QR
    credit = StudyCredit.objects.get(user=cadre)
    assert credit.source == StudyCredit.Source.TRAINING
    assert credit.training_session == session
    assert credit.credit_hours == session.credit_hours
    assert credit.title == "民法典婚姻家庭编"


def test_the_button_checks_in_and_the_page_reports_it(cadre):
    session = TrainingSessionFactory()
    response = client_for(cadre).post(checkin_url(session))
    assert response.status_code == 200
    assert response.context["state"] == "done"
    assert TrainingAttendance.objects.filter(session=session, user=cadre).count() == 1
    assert StudyCredit.objects.filter(user=cadre).count() == 1


def test_opening_the_link_does_not_check_in(cadre):
    """A chat app's link preview or the scanner's prefetch is a GET: it must change nothing."""
    session = TrainingSessionFactory()
    response = client_for(cadre).get(checkin_url(session))
    assert response.status_code == 200
    assert response.context["state"] == "confirm"
    assert not TrainingAttendance.objects.exists()
    assert not StudyCredit.objects.exists()


def test_anonymous_scanner_is_sent_to_sign_in_and_back(client, cadre):
    session = TrainingSessionFactory()
    url = checkin_url(session)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "next=" in response.url
    assert client.post(url).status_code == 302
    assert not TrainingAttendance.objects.exists()


@pytest.mark.parametrize(
    "offset, error",
    [
        (timedelta(minutes=-1), CheckinNotOpen),
        (timedelta(0), None),
        (None, None),
        (timedelta(seconds=1), CheckinClosed),
        (timedelta(days=3), CheckinClosed),
    ],
)
def test_checkin_window_includes_the_grace_period(cadre, offset, error):
    """Opens `grace` minutes before the start and closes `grace` minutes after the end."""
    session = TrainingSessionFactory(checkin_grace_minutes=20)
    if offset is None:
        now = session.starts_at + timedelta(minutes=30)
    elif offset < timedelta(0):
        now = session.checkin_opens_at + offset
    else:
        now = session.checkin_closes_at + offset
    token = checkin_token_make(session=session)
    if error is None:
        training_checkin(session=session, token=token, user=cadre, now=now)
        assert TrainingAttendance.objects.count() == 1
    else:
        with pytest.raises(error):
            training_checkin(session=session, token=token, user=cadre, now=now)
        assert not TrainingAttendance.objects.exists()
        assert not StudyCredit.objects.exists()


@pytest.mark.parametrize(
    "starts_in, status", [(timedelta(hours=3), 409), (timedelta(hours=-5), 410)]
)
def test_checkin_outside_the_window_answers_409_before_and_410_after(cadre, starts_in, status):
    session = TrainingSessionFactory(starts_at=timezone.now() + starts_in)
    client = client_for(cadre)
    assert client.get(checkin_url(session)).status_code == status
    response = client.post(checkin_url(session))
    assert response.status_code == status
    assert response.context["state"] == "error"
    assert not TrainingAttendance.objects.exists()


def test_reused_token_is_idempotent(cadre):
    session = TrainingSessionFactory()
    token = checkin_token_make(session=session)
    first = training_checkin(session=session, token=token, user=cadre)

    with pytest.raises(CheckinAlreadyDone) as raised:
        training_checkin(session=session, token=token, user=cadre)
    assert raised.value.status == 200
    assert raised.value.attendance == first

    # The page says so with 200, and still nothing is added.
    response = client_for(cadre).post(checkin_url(session, token))
    assert response.status_code == 200
    assert response.context["state"] == "already"
    assert TrainingAttendance.objects.count() == 1
    assert StudyCredit.objects.filter(user=cadre).count() == 1


def test_a_checked_in_cadre_is_told_so_even_after_check_in_closed(cadre):
    session = TrainingSessionFactory()
    token = checkin_token_make(session=session)
    training_checkin(session=session, token=token, user=cadre)
    with pytest.raises(CheckinAlreadyDone):
        training_checkin(
            session=session,
            token=token,
            user=cadre,
            now=session.checkin_closes_at + timedelta(hours=1),
        )


def test_the_same_token_checks_in_each_cadre_once(cadre, other_cadre):
    session = TrainingSessionFactory()
    token = checkin_token_make(session=session)
    training_checkin(session=session, token=token, user=cadre)
    training_checkin(session=session, token=token, user=other_cadre)
    assert TrainingAttendance.objects.filter(session=session).count() == 2
    assert StudyCredit.objects.count() == 2


def test_simultaneous_checkins_of_one_cadre_leave_one_attendance(cadre, monkeypatch):
    """The second request passed its checks before the first wrote: the constraint decides."""
    session = TrainingSessionFactory()
    token = checkin_token_make(session=session)
    training_checkin(session=session, token=token, user=cadre)
    monkeypatch.setattr(services, "training_checkin_check", lambda **kwargs: None)

    with pytest.raises(CheckinAlreadyDone):
        training_checkin(session=session, token=token, user=cadre)
    assert TrainingAttendance.objects.count() == 1
    assert StudyCredit.objects.count() == 1


def test_token_of_another_session_is_refused_with_400(cadre):
    session_a = TrainingSessionFactory(topic="A")
    session_b = TrainingSessionFactory(topic="B")
    token_a = checkin_token_make(session=session_a)

    with pytest.raises(CheckinWrongSession):
        training_checkin(session=session_b, token=token_a, user=cadre)
    response = client_for(cadre).post(checkin_url(session_b, token_a))
    assert response.status_code == 400
    assert not TrainingAttendance.objects.exists()


def _forged_tokens(session):
    genuine = checkin_token_make(session=session)
    pk, signature = genuine.split(":")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    return {
        "garbled": "not-a-token",
        "no signature": f"{pk}:",
        "flipped signature": f"{pk}:{flipped}",
        "cut short": genuine[:-5],
        "huge session id": f"{'9' * 18}:{signature}",
        "too many digits": f"{'9' * 40}:{signature}",
        "non-ascii digits": f"١٢:{signature}",
        "other salt": signing.Signer(salt="something else").sign(pk),
        "no secret": signing.Signer(salt="courses.training.checkin").sign(pk),
        "json payload": signing.dumps({"s": session.pk}),
        "very long": f"{pk}:{'A' * 5000}",
    }


@pytest.mark.parametrize(
    "kind",
    [
        "garbled",
        "no signature",
        "flipped signature",
        "cut short",
        "huge session id",
        "too many digits",
        "non-ascii digits",
        "other salt",
        "no secret",
        "json payload",
        "very long",
    ],
)
def test_forged_or_garbled_token_is_refused_with_400(cadre, kind):
    session = TrainingSessionFactory()
    token = _forged_tokens(session)[kind]
    with pytest.raises(CheckinTokenInvalid):
        training_checkin(session=session, token=token, user=cadre)
    client = client_for(cadre)
    assert client.get(checkin_url(session, token)).status_code == 400
    assert client.post(checkin_url(session, token)).status_code == 400
    assert not TrainingAttendance.objects.exists()


def test_renewing_the_code_invalidates_codes_shown_before(cadre, trainer):
    session = TrainingSessionFactory()
    old = checkin_token_make(session=session)
    training_checkin_secret_rotate(session=session, by=trainer)
    with pytest.raises(CheckinTokenInvalid):
        training_checkin(session=session, token=old, user=cadre)
    training_checkin(session=session, token=checkin_token_make(session=session), user=cadre)


def test_cadre_outside_the_audience_gets_403(cadre, other_cadre, township):
    session = TrainingSessionFactory(audience_units=[township["a"]])
    with pytest.raises(CheckinNotInAudience):
        training_checkin(
            session=session, token=checkin_token_make(session=session), user=other_cadre
        )
    assert client_for(other_cadre).post(checkin_url(session)).status_code == 403
    # The cadre of the listed unit may.
    assert client_for(cadre).post(checkin_url(session)).status_code == 200


def test_audience_by_category(cadre):
    session = TrainingSessionFactory(audience_categories=[CadreCategory.GRID_MANAGER])
    with pytest.raises(CheckinNotInAudience):
        training_checkin(session=session, token=checkin_token_make(session=session), user=cadre)


def test_unknown_session_answers_404(cadre):
    session = TrainingSessionFactory()
    token = checkin_token_make(session=session)
    url = reverse("training_checkin", args=[session.pk + 1000, token])
    assert client_for(cadre).get(url).status_code == 404


def test_checkin_url_fits_a_low_density_qr_code():
    session = TrainingSessionFactory()
    url = "https://xuefa.example.gov.cn" + checkin_url(session)
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(url)
    code.make(fit=True)
    assert len(url) <= 110
    assert code.version <= 6
