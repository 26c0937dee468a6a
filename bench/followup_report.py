"""The notice follow-up report (通知送达情况) over 20,000 retirees: how long the roll-up along
the institution tree and the list of people not yet reached take for a 中心's staff.

    .venv/bin/python bench/followup_report.py

Prints the figure and writes "followup_report_s" into bench/results/latest.json."""

import time

from common import demo_site_with_retirees, merge_results, setup_django

RETIREES = 20_000


def main() -> None:
    setup_django()
    from django.utils import timezone

    from accounts.models import RetireeProfile, User
    from notices.models import NoticePage, NoticeReceipt
    from notices.selectors import follow_up

    users = demo_site_with_retirees(prefix="1340", count=RETIREES)
    RetireeProfile.objects.bulk_create(
        [RetireeProfile(user=user, very_old=user.pk % 7 == 0) for user in users], batch_size=1000
    )
    notice = NoticePage.objects.get(slug="health-check-2026")  # the 中心's, to its whole tree
    now = timezone.now()
    readers = User.objects.filter(username__startswith="1340").values_list("pk", flat=True)
    NoticeReceipt.objects.bulk_create(
        [NoticeReceipt(notice=notice, retiree_id=pk, read_at=now) for pk in readers[::2]],
        ignore_conflicts=True,
        batch_size=1000,
    )
    staff = User.objects.get(username="zhongxin")
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        report = follow_up(notice, staff)
        timings.append(time.perf_counter() - started)
    best = min(timings)
    total = report.total
    print(f"follow-up report, {total.audience} retirees in the audience, "
          f"{len(report.not_reached)} not reached: {best:.2f} s (best of 3)")  # fmt: skip
    merge_results({"followup_report_s": round(best, 2), "followup_audience": total.audience})


if __name__ == "__main__":
    main()
