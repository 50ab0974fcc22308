"""KPI arithmetic for the province's monitoring (domain rules section 9): pure functions over
plain records (``records``) that return plain results keeping the ids behind every number.

Definitions, choices and the benchmark: docs/kpi.md.
"""

from matching.kpi.after_training import (
    AfterTrainingStats,
    EmploymentAfterTraining,
    Observation,
    employment_after_training,
    employment_after_training_cuts,
)
from matching.kpi.cuts import PRIORITY_GROUPS, cut
from matching.kpi.ids import (
    AFTER_COUNTS,
    FOLLOW_UP_WINDOWS,
    KPI_WINDOW,
    SECTORS,
    TRAINED_MEASURES,
    WINDOWS,
    Dimension,
    KpiFamily,
    KpiId,
    Measure,
)
from matching.kpi.jobs import (
    Departures,
    NewJobs,
    abroad,
    aggregate_counts,
    new_jobs,
    new_jobs_cuts,
)
from matching.kpi.labour_force import (
    ImportedShare,
    LabourStructure,
    certified_share,
    labour_structure,
    new_job_structure,
    trained_share,
)
from matching.kpi.milestones import path_target
from matching.kpi.orders import OrderOutcome, Orders, orders
from matching.kpi.priority import PriorityGroups, PriorityShares, priority_groups
from matching.kpi.progress import Progress, progress, settled
from matching.kpi.records import (
    CHANNELS,
    LEVELS,
    AggregateRecord,
    EmploymentRecord,
    EnrolmentRecord,
    FollowUpRecord,
    LabourForceRecord,
    OrderRecord,
    TargetRecord,
    VacancyRecord,
)
from matching.kpi.results import Count, Rate
from matching.kpi.training import Trained, TrainedCounts, trained, trained_cuts
from matching.kpi.vacancies import Vacancies, VacancyStats, vacancies

__all__ = [
    "AFTER_COUNTS",
    "CHANNELS",
    "FOLLOW_UP_WINDOWS",
    "KPI_WINDOW",
    "LEVELS",
    "PRIORITY_GROUPS",
    "SECTORS",
    "TRAINED_MEASURES",
    "WINDOWS",
    "AfterTrainingStats",
    "AggregateRecord",
    "Count",
    "Departures",
    "Dimension",
    "EmploymentAfterTraining",
    "EmploymentRecord",
    "EnrolmentRecord",
    "FollowUpRecord",
    "ImportedShare",
    "KpiFamily",
    "KpiId",
    "LabourForceRecord",
    "LabourStructure",
    "Measure",
    "NewJobs",
    "Observation",
    "OrderOutcome",
    "OrderRecord",
    "Orders",
    "PriorityGroups",
    "PriorityShares",
    "Progress",
    "Rate",
    "TargetRecord",
    "Trained",
    "TrainedCounts",
    "Vacancies",
    "VacancyRecord",
    "VacancyStats",
    "abroad",
    "aggregate_counts",
    "certified_share",
    "cut",
    "employment_after_training",
    "employment_after_training_cuts",
    "labour_structure",
    "new_job_structure",
    "new_jobs",
    "new_jobs_cuts",
    "orders",
    "path_target",
    "priority_groups",
    "progress",
    "settled",
    "trained",
    "trained_cuts",
    "trained_share",
    "vacancies",
]
