"""Career guidance for one person (counsellors: commune officers and the Employment Service
Centre): the form, the trades and courses suggested from outcomes and demand, and the record
of the session. docs/guidance.md."""
