#include "EnvironmentDelegate.h"

#include "TierBanner.h"
#include "workspace/EnvironmentListModel.h"

#include <QPainter>

#include <algorithm>

void EnvironmentDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const int chip = opt.rect.height() / 3;
    opt.rect.adjust(chip * 2 + 6, 0, 0, 0);
    QStyledItemDelegate::paint(painter, opt, index);
    const auto tier = Tier(index.data(EnvironmentListModel::TierRole).toInt());
    const bool demo = index.data(EnvironmentListModel::BuiltinRole).toBool();
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(TierBanner::tierColor(tier, demo));
    const QRect r(option.rect.left() + chip, option.rect.center().y() - chip / 2, chip, chip);
    painter->drawEllipse(r);
    painter->restore();
}

QSize EnvironmentDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setHeight(std::max(size.height() + 8, 28));
    return size;
}
