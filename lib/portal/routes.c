/*
 * The portal's route table, as the command table is for the command line:
 * method, path ('#' an id), handler, whether it needs a session, whether
 * its form must carry the csrf field, whether it takes a file.  portal/frame.c does the rest: 404
 * for a path no row has, 405 for a method none of its rows take.
 */
#include "portal/kn_portal.h"


const struct kn_route kn_routes[] = {
	/* method  path                  handler                         session csrf upload */
	{ "GET",  "/healthz",            kn_route_healthz,               0, 0, 0 },
	{ "GET",  "/style.css",          kn_route_style,                 0, 0, 0 },
	{ "GET",  "/logo",               kn_route_logo,                  0, 0, 0 },
	{ "GET",  "/login",              kn_route_login_form,            0, 0, 0 },
	{ "POST", "/login",              kn_route_login,                 0, 1, 0 },
	{ "POST", "/logout",             kn_route_logout,                1, 1, 0 },
	{ "GET",  "/forgot",             kn_route_forgot_form,           0, 0, 0 },
	{ "POST", "/forgot",             kn_route_forgot,                0, 1, 0 },
	{ "GET",  "/reset",              kn_route_reset_form,            0, 0, 0 },
	{ "POST", "/reset",              kn_route_reset,                 0, 1, 0 },
	{ "GET",  "/register",           kn_route_register_form,         0, 0, 0 },
	{ "POST", "/register",           kn_route_register,              0, 1, 0 },
	{ "GET",  "/register/sent",      kn_route_register_sent,         0, 0, 0 },
	{ "GET",  "/register/confirm",   kn_route_register_confirm_form, 0, 0, 0 },
	{ "POST", "/register/confirm",   kn_route_register_confirm,      0, 1, 0 },
	{ "GET",  "/",                   kn_route_home,                  1, 0, 0 },
	{ "GET",  "/account",            kn_route_account,               1, 0, 0 },
	{ "POST", "/account",            kn_route_account_save,          1, 1, 0 },
	{ "POST", "/account/password",   kn_route_account_password,      1, 1, 0 },
	{ "GET",  "/pets",               kn_route_pets,                  1, 0, 0 },
	{ "GET",  "/pets/new",           kn_route_pet_new_form,          1, 0, 0 },
	{ "POST", "/pets/new",           kn_route_pet_new,               1, 1, 0 },
	{ "GET",  "/pets/#",             kn_route_pet,                   1, 0, 0 },
	{ "POST", "/pets/#",             kn_route_pet_save,              1, 1, 0 },
	{ "GET",  "/pets/#/papers",      kn_route_pet_papers_form,       1, 0, 0 },
	{ "POST", "/pets/#/papers",      kn_route_pet_papers,            1, 1, 1 },
	{ "GET",  "/requests",           kn_route_requests,              1, 0, 0 },
	{ "POST", "/requests",           kn_route_request_create,        1, 1, 0 },
	{ "GET",  "/requests/new",       kn_route_request_new,           1, 0, 0 },
	{ "GET",  "/requests/#/cancel",  kn_route_request_cancel_form,   1, 0, 0 },
	{ "POST", "/requests/#/cancel",  kn_route_request_cancel,        1, 1, 0 },
	{ "GET",  "/requests/#/change",  kn_route_request_change_form,   1, 0, 0 },
	{ "POST", "/requests/#/change",  kn_route_request_change,        1, 1, 0 },
	{ "GET",  "/offers/*",           kn_route_offer,                 1, 0, 0 },
	{ "POST", "/offers/*",           kn_route_offer_confirm,         1, 1, 0 },
	{ "GET",  "/calendar",           kn_route_calendar,              1, 0, 0 },
	{ "POST", "/calendar/key",       kn_route_calendar_key,          1, 1, 0 },
	{ "GET",  "/calendar.ics",       kn_route_calendar_ics,          0, 0, 0 },
	{ "GET",  "/packages",           kn_route_packages,              1, 0, 0 },
	{ "GET",  "/packages/buy",       kn_route_packages_buy_form,     1, 0, 0 },
	{ "POST", "/packages/buy",       kn_route_packages_buy,          1, 1, 0 },
	{ "GET",  "/purchases",          kn_route_purchases,             1, 0, 0 },
	{ "GET",  "/billing",            kn_route_billing,               1, 0, 0 },
	{ "GET",  "/billing/orders/#",   kn_route_billing_order,         1, 0, 0 },
	{ "GET",  "/billing/statement",  kn_route_billing_statement,     1, 0, 0 },
	{ "GET",  "/visits",             kn_route_visits,                1, 0, 0 },
	{ "GET",  "/contact",            kn_route_contact_form,          1, 0, 0 },
	{ "POST", "/contact",            kn_route_contact,               1, 1, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};
