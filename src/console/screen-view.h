/*
 * The list engine's own pieces (screen-view.c, screen-view-keys.c): the ids
 * of a view's actions in its key table.
 */
#ifndef MQ_SCREEN_VIEW_H
#define MQ_SCREEN_VIEW_H

/*
 * The view's own actions (ids apart from the list's and the line editor's):
 * a value of a group of choices, a group's cycle key, the search prompt, a
 * row's form.
 */
#define VIEW_A_CHOICE   10000 /* + group * VIEW_GROUP_SPAN + value: groups and values < 100 */
#define VIEW_GROUP_SPAN 100
#define VIEW_A_CYCLE    20000 /* + group */
#define VIEW_A_FIND     20500
#define VIEW_A_FORM     21000 /* + action */

#endif
