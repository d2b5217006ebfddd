//! The target's neighbours tied to it only through an override or a
//! callback say so, as the call hierarchy does: the model is not told a
//! caller of the base method calls the target by name.

use expect_test::expect;

use super::tests::check_in_graph;

#[test]
fn callers_through_an_override_or_a_callback_are_labelled_and_direct_ones_not() {
    let spec = r#"
//- shapes.py
class Shape:
    def area(self):
        return 0


class Square(Shape):
    def area(self):
        return self.side ** 2$0


def total(shapes: list[Shape]):
    return sum(s.area() for s in shapes)


def square_area(sq: Square):
    return sq.area()


def apply(fn, sq):
    return fn(sq)


def report(sq: Square):
    return apply(Square.area, sq)
"#;
    check_in_graph(
        spec,
        4000,
        expect![[r#"
            context for shapes.py:7 `Square.area`: 209 tokens of a 4000 budget (o200k_base, 0% margin: 4000 usable)
              level 1: 140 of 1600 tokens, 4 included, 0 left out
              level 2: 70 of 2660 tokens, 4 included, 0 left out
              reserve: 3791 tokens for instructions and the answer
              secrets masked: 0
            ---
            ## Level 1: the target and what it directly uses or is used by

            ### shapes.py:7 `Square.area` (target)
            ```python
                def area(self):
                    return self.side ** 2
            ```

            ### shapes.py:19 `apply` (via callback)
            ```python
            def apply(fn, sq):
                return fn(sq)
            ```

            ### shapes.py:15 `square_area`
            ```python
            def square_area(sq: Square):
                return sq.area()
            ```

            ### shapes.py:11 `total` (via override)
            ```python
            def total(shapes: list[Shape]):
                return sum(s.area() for s in shapes)
            ```

            ## Level 2: the next ring (signatures and first docstring lines)
            - shapes.py:6 `class Square(Shape):`
            - shapes.py:23 `def report(sq: Square):`
            - shapes.py:1 `class Shape:`
            - shapes.py:2 (in `Shape`) `def area(self):`
        "#]],
    );
}
