"""期限 deadlines: legal time limits attached to cases, their pauses (中止/不计入), extensions, timers and history."""
