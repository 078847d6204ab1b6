// Presence for the chat page (the online list and join/leave); filled in by the presence feature.
