"""Access matrix of the determinations (monitoring/determination/urls.py).

The scenario is the demo's: Kerkrade (gemeente3) has a final accounting of its brede SPUK 2025–2026. The ministry
makes and determines; Kerkrade reads its determination once it is determined (not the concept); the other
gemeenten and the kerngroep read none. SPUK IZA: the region's determination is read by its mandate holder (Almere,
gemeente), not by a member gemeente (Lelystad, gemeente2) nor by another region's (Kerkrade, gemeente3)."""

from tests.access import Case

OFFICERS = {"gemeente", "gemeente2", "gemeente3"}
KERKRADE = {"gemeente3"}
MINISTRY = {"ministerie"}
MANDATE_HOLDER = {"gemeente"}


def _pk(getter):
    def args():
        from tests.monitoring import determination_factories as f

        return (getter(f).pk,)
    return args


def _step(name, getter):
    def args():
        from tests.monitoring import determination_factories as f

        return (getter(f).pk, name)
    return args


def _iza_determined():
    from tests.monitoring import iza_determination_factories as iza

    return (iza.determined(render=True).pk,)


concept = _pk(lambda f: f.concept())
determined = _pk(lambda f: f.determined())
final_report = _pk(lambda f: f.final_report())
batch = _pk(lambda f: f.batch())

# The first row of a URL names its arguments for tests/test_authorization_walk.py, which makes all of them in one
# database: there the determination is determined (the concept row's determination becomes it), so that row is first.
CASES = [
    Case("monitoring:determination_list", OFFICERS | MINISTRY),
    Case("monitoring:determination_create", MINISTRY, args=final_report, method="post", ok_status=302),
    Case("monitoring:determination_detail", KERKRADE | MINISTRY, args=determined, label="detail-determined"),
    Case("monitoring:determination_detail", MINISTRY, args=concept, label="detail-concept"),
    Case("monitoring:determination_step", MINISTRY, args=_step("vaststellen", lambda f: f.concept()),
         label="step-confirm"),
    Case("monitoring:determination_step", MINISTRY, args=_step("terugvorderen", lambda f: f.determined(render=False)),
         method="post", data={}, ok_status=422, label="step-needs-confirmation"),
    Case("monitoring:determination_letter", KERKRADE | MINISTRY, args=determined),
    Case("monitoring:determination_detail", MANDATE_HOLDER | MINISTRY, args=_iza_determined, label="detail-iza"),
    Case("monitoring:determination_letter", MANDATE_HOLDER | MINISTRY, args=_iza_determined, label="letter-iza"),
    Case("monitoring:determination_letter_retry", MINISTRY, args=determined, method="post", ok_status=302),
    Case("monitoring:determination_batch_new", MINISTRY, args=("brede_spuk",)),
    Case("monitoring:determination_batch", MINISTRY, args=batch),
    Case("monitoring:determination_batch_progress", MINISTRY, args=batch),
    Case("monitoring:determination_batch_restart", MINISTRY, args=_pk(lambda f: f.batch(failed=True)), method="post",
         ok_status=302),
]
