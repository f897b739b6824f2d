import pytest

from meters.readings import layouts


@pytest.fixture
def commits_run(django_capture_on_commit_callbacks):
    """Run what waits for the commit inside the test's transaction; the layout ids ingest remembers on
    commit are taken away by the test's rollback: forget them after."""
    remembered = dict(layouts._layout_ids), set(layouts._device_layouts)
    yield django_capture_on_commit_callbacks
    layouts._layout_ids.clear()
    layouts._layout_ids.update(remembered[0])
    layouts._device_layouts.clear()
    layouts._device_layouts.update(remembered[1])
