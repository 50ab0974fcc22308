"""Job fairs and online job sessions (phiên giao dịch việc làm): staff make and cancel a
session, employers bring their open vacancies, the engine invites the people of the communes
served, staff record the day on a phone, and the session's hires enter the new-jobs
register. One module per step; `access` decides who reaches a session."""
