"""Evaluation methods as pure functions over tables, and indicator systems as configuration.

Normalise (``normalize``), weight (``entropy_weights``, ``critic_weights``, ``std_weights``,
``ahp_weights``, ``combine_weights``), aggregate (``weighted_sum``, ``topsis``,
``grey_relational``), measure coupling coordination, obstacles, disparity, structure and
growth; read panels (``read_panel``) and evaluate them with an indicator system
(``evaluate``); run evaluations as the platform offers them, with options, refusals and
method digests (``run_evaluation``, ``preview`` of the shipped panels in ``SHIPPED_PANELS``).
Nothing here touches the database or the web layer, except
:mod:`jingjinji.indicators.repository` (saved evaluations, uploaded panels through the
store's table checks), which this package does not import.
"""

from jingjinji.indicators.aggregate import (
    UNDEFINED,
    grey_relational,
    topsis,
    undefined_reason,
    weighted_sum,
)
from jingjinji.indicators.coupling import (
    COORDINATION_LEVELS,
    coordination_level,
    coupling_coordination,
)
from jingjinji.indicators.disparity import (
    DagumGini,
    TheilResult,
    coefficient_of_variation,
    dagum_gini,
    gini,
    theil,
)
from jingjinji.indicators.evaluate import EvaluationResult, evaluate, monitor
from jingjinji.indicators.growth import cagr, total_growth
from jingjinji.indicators.normalize import normalize
from jingjinji.indicators.obstacle import obstacle_degree
from jingjinji.indicators.panel import Panel, PanelError, PanelProblem, read_panel
from jingjinji.indicators.runs import (
    EvaluationError,
    EvaluationOptions,
    EvaluationRun,
    indicator_system,
    preview,
    run_evaluation,
    run_shipped,
    shipped_options,
)
from jingjinji.indicators.sample import sample_panel
from jingjinji.indicators.shipped import SHIPPED_PANELS, PanelInfo, ShippedPanel, shipped_panel
from jingjinji.indicators.structure import (
    krugman_specialization,
    location_quotient,
    structural_similarity,
)
from jingjinji.indicators.system import (
    IndicatorSystem,
    IndicatorSystemError,
    list_systems,
    load_system,
    shipped_systems,
)
from jingjinji.indicators.uploads import decoded_csv
from jingjinji.indicators.weights import (
    AHPResult,
    ahp_weights,
    combine_weights,
    critic_weights,
    entropy_weights,
    equal_weights,
    std_weights,
)

__all__ = [
    "COORDINATION_LEVELS",
    "SHIPPED_PANELS",
    "UNDEFINED",
    "AHPResult",
    "DagumGini",
    "EvaluationError",
    "EvaluationOptions",
    "EvaluationResult",
    "EvaluationRun",
    "IndicatorSystem",
    "IndicatorSystemError",
    "Panel",
    "PanelError",
    "PanelInfo",
    "PanelProblem",
    "ShippedPanel",
    "TheilResult",
    "ahp_weights",
    "cagr",
    "coefficient_of_variation",
    "combine_weights",
    "coordination_level",
    "coupling_coordination",
    "critic_weights",
    "dagum_gini",
    "decoded_csv",
    "entropy_weights",
    "equal_weights",
    "evaluate",
    "gini",
    "grey_relational",
    "indicator_system",
    "krugman_specialization",
    "list_systems",
    "load_system",
    "location_quotient",
    "monitor",
    "normalize",
    "obstacle_degree",
    "preview",
    "read_panel",
    "run_evaluation",
    "run_shipped",
    "sample_panel",
    "shipped_options",
    "shipped_panel",
    "shipped_systems",
    "std_weights",
    "structural_similarity",
    "theil",
    "topsis",
    "total_growth",
    "undefined_reason",
    "weighted_sum",
]
