(** A traffic light. It starts red and [next] cycles red -> green -> yellow -> red;
    [emergency] turns it red at once; [color] reads it. *)

Inductive color := Red | Green | Yellow.

Definition model_next (c : color) : color :=
  match c with Red => Green | Green => Yellow | Yellow => Red end.

Module Type LIGHT_SIG.
  Parameter t : Type.
  Parameter init : t.
  Parameter next : t -> t.
  Parameter emergency : t -> t.
  Parameter color_of : t -> color.
End LIGHT_SIG.

Module Type LIGHT_CORRECT (Import M : LIGHT_SIG).
  Axiom color_init : color_of init = Red.
  Axiom color_next : forall s, color_of (next s) = model_next (color_of s).
  Axiom color_emergency : forall s, color_of (emergency s) = Red.
End LIGHT_CORRECT.
