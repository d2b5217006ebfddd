//! `from pkg import old, Other` when `old` leaves `pkg`: the moved module
//! gets a statement of its own, the other names stay.

use super::{file, moved};

const SHOP: &str =
    "//- /shop/__init__.py\nclass Schema:\n    pass\n\n\ngross = 1\n//- /shop/fields.py\ndef gr$0oss(x):\n    return x\n//- /shop/sub/__init__.py\n";

#[test]
fn an_import_of_the_moved_module_beside_other_names_is_split() {
    let workspace = format!(
        "{SHOP}//- /shop/cart.py\nfrom shop import fields, Schema\nfrom . import Schema as S, fields as f\n\n\ndef pay(x):\n    if x:\n        from shop import Schema, fields\n    return fields.gross(x), f.gross(x), Schema, S\n"
    );
    let files = moved(&workspace, "shop/fields.py", "shop/sub/fields.py").unwrap();
    assert_eq!(
        file(&files, "shop/cart.py"),
        "from shop.sub import fields\nfrom shop import Schema\nfrom . import Schema as S\nfrom .sub import fields as f\n\n\ndef pay(x):\n    if x:\n        from shop import Schema\n        from shop.sub import fields\n    return fields.gross(x), f.gross(x), Schema, S\n"
    );
    // Must not: a statement sharing its line cannot take a line after it; a name in the middle
    // would change the order of the imports.
    let workspace = format!("{SHOP}//- /shop/cart.py\nfrom shop import Schema, fields; print(fields.gross(1), Schema)\n");
    let refused = moved(&workspace, "shop/fields.py", "shop/sub/fields.py").unwrap_err().to_string();
    assert!(refused.contains("which cannot be split apart"), "{refused}");
    let workspace = format!("{SHOP}//- /shop/cart.py\nfrom shop import Schema, fields, gross\nprint(fields.gross(1), Schema)\n");
    let refused = moved(&workspace, "shop/fields.py", "shop/sub/fields.py").unwrap_err().to_string();
    assert!(refused.contains("which cannot be split apart"), "{refused}");
}
