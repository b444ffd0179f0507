"""factory_boy factories for training sessions and attendance."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from courses.models import TrainingAttendance, TrainingSession


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    """A session that started ten minutes ago, so check-in is open now."""

    class Meta:
        model = TrainingSession
        skip_postgeneration_save = True

    topic = factory.Sequence(lambda n: f"新法培训{n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=10))
    ends_at = factory.LazyAttribute(lambda session: session.starts_at + timedelta(hours=2))
    place = "镇政府三楼会议室"
    credit_hours = Decimal("2.0")
    checkin_grace_minutes = 30

    @factory.post_generation
    def audience_units(self, create, extracted, **kwargs):
        if create and extracted:
            self.audience_units.set(extracted)


class TrainingAttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingAttendance

    session = factory.SubFactory(TrainingSessionFactory)
    method = TrainingAttendance.Method.QR
    checked_in_at = factory.LazyFunction(timezone.now)
