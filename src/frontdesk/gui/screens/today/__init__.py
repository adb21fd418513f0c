"""今日工作: the home screen after sign-in."""
