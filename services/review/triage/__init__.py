"""受理分流 triage: every received petition waits here to be routed to a department or 基层院."""
