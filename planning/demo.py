def create_demo_planning() -> int:
    return 0
