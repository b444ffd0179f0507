"""Who may do what in the question bank: nothing used is ever deleted, and reports are
only read and resolved. The policies are registered with Wagtail here, once."""

from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from exams.models import Question, QuestionCategory, QuestionReport


class NoDeletePermissionPolicy(ModelPermissionPolicy):
    """Nothing used is ever deleted: questions are retired, reports resolved, and a
    category holds questions that attempts may point at."""

    denied = frozenset({"delete"})

    def user_has_permission(self, user, action):
        return action not in self.denied and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [a for a in actions if a not in self.denied]
        return (
            super().users_with_any_permission(actions)
            if actions
            else self.model._default_manager.none()
        )


class ReportPermissionPolicy(NoDeletePermissionPolicy):
    # Reports come from cadres on the site; the admin only reads and resolves them.
    denied = frozenset({"delete", "add"})


question_policy = NoDeletePermissionPolicy(Question)
register_permission_policy(Question, question_policy)
register_permission_policy(QuestionCategory, NoDeletePermissionPolicy(QuestionCategory))
register_permission_policy(QuestionReport, ReportPermissionPolicy(QuestionReport))


def bank_can(user, *actions) -> bool:
    return question_policy.user_has_any_permission(user, list(actions))
