"""The store's errors, each a :class:`~zhiping.errors.StoreError` with fields to read.

A frontend tells the conflicts apart by class or by ``conflict``, and finds the session
already recorded in ``existing_session_id`` rather than in the message.
"""

from __future__ import annotations

from typing import Literal

from zhiping.errors import SessionConflict, StoreError

__all__ = ["DocumentConflict", "PeriodConflict", "SessionNotFound", "StoreClosed"]


class DocumentConflict(SessionConflict):
    """Another document is recorded under the same session id; amend it instead.

    Attributes:
        conflict: ``"document"``.
        session_id: the session id of the document refused.
        existing_session_id: the session recorded (the same id).
    """

    conflict: Literal["document", "period"] = "document"

    def __init__(self, session_id: str) -> None:
        super().__init__(
            f"session {session_id} is recorded with another document; "
            "record the new one as an amendment, with its reason",
            zh=f"直评会 {session_id} 已按另一份文件记录;请把新文件作为更正记录,并说明理由",
        )
        self.session_id = session_id
        self.existing_session_id = session_id


class PeriodConflict(SessionConflict):
    """The village already has another valid session for the same year (or quarter).

    Attributes:
        conflict: ``"period"``.
        session_id: the session refused.
        existing_session_id: the valid session already recorded for that period.
        village_code: the village.
        year: the work year.
        quarter: the quarter, or None for a yearly session.
    """

    conflict: Literal["document", "period"] = "period"

    def __init__(
        self,
        session_id: str,
        existing_session_id: str,
        *,
        village_code: str,
        year: int,
        quarter: int | None,
    ) -> None:
        period_en = f"{year}" if quarter is None else f"{year} Q{quarter}"
        period_zh = f"{year}年" if quarter is None else f"{year}年第{quarter}季度"
        super().__init__(
            f"village {village_code} already has a valid session for {period_en}: "
            f"{existing_session_id}; a village is graded once a year (or quarter), "
            "so amend that session instead",
            zh=f"村 {village_code} 在{period_zh}已有有效的直评会 {existing_session_id};"
            "每村每年(或每季度)只评定一次,请改为更正那次直评会",
        )
        self.session_id = session_id
        self.existing_session_id = existing_session_id
        self.village_code = village_code
        self.year = year
        self.quarter = quarter


class SessionNotFound(StoreError, LookupError):
    """No session with that id is recorded.

    Attributes:
        session_id: the id looked up.
    """

    def __init__(self, session_id: str) -> None:
        super().__init__(
            f"session {session_id} is not recorded", zh=f"直评会 {session_id} 没有记录"
        )
        self.session_id = session_id


class StoreClosed(StoreError):
    """The store was closed; open it again to use it."""

    def __init__(self, path: str) -> None:
        super().__init__(f"{path}: the store is closed", zh=f"记录库 {path} 已关闭")
