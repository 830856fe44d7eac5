"""Pure layout for the learner's visuals: the map (maps.py) and the activity charts (charts.py)."""

from roadmap.visuals.charts import (
    CALENDAR_WEEKS,
    CHART_WEEKS,
    activity_calendar,
    activity_level,
    local_dates,
    nice_ticks,
    streaks,
    week_start,
    weekly_chart,
    weekly_counts,
)
from roadmap.visuals.map_svg import map_svg
from roadmap.visuals.maps import (
    MAP_STATUSES,
    STATUS_LABELS,
    longest_path_layers,
    map_layout,
    map_status,
)

__all__ = [
    "CALENDAR_WEEKS",
    "CHART_WEEKS",
    "MAP_STATUSES",
    "STATUS_LABELS",
    "activity_calendar",
    "activity_level",
    "local_dates",
    "longest_path_layers",
    "map_layout",
    "map_status",
    "map_svg",
    "nice_ticks",
    "streaks",
    "week_start",
    "weekly_chart",
    "weekly_counts",
]
