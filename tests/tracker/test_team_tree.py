from tracker.team_tree import roll_up, subtree_ids

# Region 1 has squads 2 and 3; squad 3 has pod 4. Region 5 stands apart.
PARENT_OF = {1: None, 2: 1, 3: 1, 4: 3, 5: None}


def test_a_team_brings_every_team_below_it_at_any_depth():
    assert subtree_ids(PARENT_OF, [1]) == {1, 2, 3, 4}


def test_a_team_without_children_is_its_own_subtree():
    assert subtree_ids(PARENT_OF, [4]) == {4}


def test_several_roots_bring_the_union_of_their_subtrees():
    assert subtree_ids(PARENT_OF, [3, 5]) == {3, 4, 5}


def test_no_roots_give_no_teams():
    assert subtree_ids(PARENT_OF, []) == set()


def test_a_cycle_in_bad_data_does_not_loop_forever():
    assert subtree_ids({1: 2, 2: 1}, [1]) == {1, 2}


def test_values_roll_up_into_every_team_above_and_stray_keys_are_left_out():
    values = {2: 5, 4: 7, None: 100, 99: 1000}

    totals = roll_up(values, PARENT_OF, int)

    assert totals == {1: 12, 2: 5, 3: 7, 4: 7, 5: 0}
