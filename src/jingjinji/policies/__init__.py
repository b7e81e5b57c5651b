"""The shared policy list (共用一份政策清单): records, eligibility, search, comparison.

Pure functions over plain records and the atlas; the store keeps the rows, the web layer and
the CLI convert them to :class:`PolicyRecord` and call in here.
"""

from jingjinji.policies.compare import PlaceColumn, compare
from jingjinji.policies.eligibility import (
    ConditionCheck,
    Eligibility,
    EnterpriseProfile,
    describe,
    evaluate,
    match_policies,
)
from jingjinji.policies.records import (
    POLICY_TYPES,
    SIZES,
    Condition,
    ConditionList,
    PolicyRecord,
    conditions_from_targets,
)
from jingjinji.policies.search import MAX_QUERY_LENGTH, PolicyIndex, SearchHit, tokenize
from jingjinji.policies.table import PolicyInput, parse_policies, validate_policy

__all__ = [
    "MAX_QUERY_LENGTH",
    "POLICY_TYPES",
    "SIZES",
    "Condition",
    "ConditionCheck",
    "ConditionList",
    "Eligibility",
    "EnterpriseProfile",
    "PlaceColumn",
    "PolicyIndex",
    "PolicyInput",
    "PolicyRecord",
    "SearchHit",
    "compare",
    "conditions_from_targets",
    "describe",
    "evaluate",
    "match_policies",
    "parse_policies",
    "tokenize",
    "validate_policy",
]
